package main

import (
	"context"
	"os"
	"testing"
)

// TestMain lets a test run this test binary as the parity command itself,
// in a process of its own that it can kill: with PARITY_TEST_MAIN=1 the
// binary is `parity` with os.Args.
func TestMain(m *testing.M) {
	if os.Getenv("PARITY_TEST_MAIN") == "1" {
		os.Exit(parity(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}
