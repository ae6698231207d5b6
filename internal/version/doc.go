// Package version says which build of parity is running: its module
// version, the VCS revision it was built from and the Go toolchain, as
// the Go linker records them in the binary (runtime/debug.ReadBuildInfo).
// `parity --version` prints String, and results.parquet carries it as its
// created_by.
package version
