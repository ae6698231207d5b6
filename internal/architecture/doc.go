// Package architecture holds no code, only the test that keeps parity's
// package graph in shape: each package imports only the packages its
// place in the pipeline allows (suites -> runner -> judges -> results,
// stats -> gate, routing -> report -> cmd/parity), so imports run one way
// and no package grows a second concept by reaching upward.
package architecture
