package cache

import (
	"bytes"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"testing"
	"time"
)

// The helper process's settings: the cache dir, and which writer it is.
const (
	cacheHelperDirEnv    = "PARITY_CACHE_HELPER_DIR"
	cacheHelperWriterEnv = "PARITY_CACHE_HELPER_WRITER"
)

// processKeys are the keys the writer processes fight over.
func processKeys() []string {
	return []string{testKey("p0"), testKey("p1"), testKey("p2"), testKey("p3")}
}

// TestConcurrentProcesses runs two writer processes (this test binary
// again, as TestHelperProcess) that hammer the same keys of one cache
// dir while this process reads them: every read must be a miss before the
// key's first write, and one writer's whole entry after it.
func TestConcurrentProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	t.Parallel()
	c := openTestCache(t, 0)
	var (
		writers  sync.WaitGroup
		outputs  [2]bytes.Buffer
		finished = make(chan struct{})
	)
	t.Cleanup(writers.Wait) // after a Fatal too: t.Context's end kills them
	for w := range outputs {
		cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")
		cmd.Env = append(os.Environ(), cacheHelperDirEnv+"="+c.dir, cacheHelperWriterEnv+"="+strconv.Itoa(w))
		cmd.Stdout, cmd.Stderr = &outputs[w], &outputs[w]
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		writers.Go(func() {
			if err := cmd.Wait(); err != nil {
				t.Errorf("writer process %d: %v", w, err)
			}
		})
	}
	go func() { writers.Wait(); close(finished) }()
	reads, hits := readUntil(t, c, finished)
	<-finished // the outputs are the writers' until then
	if t.Failed() {
		for w := range outputs {
			t.Logf("writer %d:\n%s", w, outputs[w].String())
		}
	}
	for _, k := range processKeys() {
		if v, st := c.lookup(k); checkRead(k, v, st) != nil || st != lookupHit {
			t.Errorf("after the writers: lookup(%s) = %v", k[:8], st)
		}
	}
	assertOnlyEntries(t, c.dir, len(processKeys()))
	t.Logf("%d reads while 2 processes wrote, %d hits", reads, hits)
}

// readUntil reads every key in turn until finished is closed, and fails on
// a torn entry or on an entry that vanishes once written (a torn read that
// Get took for corrupt and removed would do that).
func readUntil(t *testing.T, c *Cache, finished <-chan struct{}) (reads, hits int) {
	keys := processKeys()
	seen := make(map[string]bool)
	for {
		select {
		case <-finished:
			return reads, hits
		default:
		}
		for _, k := range keys {
			v, st := c.lookup(k)
			reads++
			if err := checkRead(k, v, st); err != nil {
				t.Error(err)
				return reads, hits
			}
			if st == lookupAbsent && seen[k] {
				t.Errorf("entry %s vanished after it was written", k[:8])
				return reads, hits
			}
			if st == lookupHit {
				seen[k] = true
				hits++
			}
		}
	}
}

// TestHelperProcess is a writer process for TestConcurrentProcesses,
// which runs the test binary again with it; on its own it does nothing. It
// writes its own entries over the shared keys for half a second, checking
// what the other writer left as it goes.
func TestHelperProcess(t *testing.T) {
	dir := os.Getenv(cacheHelperDirEnv)
	if dir == "" {
		t.Skip("a writer process for TestConcurrentProcesses")
	}
	w, err := strconv.Atoi(os.Getenv(cacheHelperWriterEnv))
	if err != nil {
		t.Fatal(err)
	}
	c, err := Open(dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	keys := processKeys()
	start := time.Now()
	for i := 0; i < 4*len(keys) || time.Since(start) < 500*time.Millisecond; i++ {
		key := keys[i%len(keys)]
		if err := c.Put(key, hammerEntry(key, w, i)); err != nil {
			t.Fatal(err)
		}
		next := keys[(i+1)%len(keys)]
		if v, st := c.lookup(next); checkRead(next, v, st) != nil {
			t.Fatal(checkRead(next, v, st))
		}
	}
}
