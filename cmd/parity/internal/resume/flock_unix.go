//go:build unix

package resume

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// errLocked is flock's error when another open file holds the lock.
var errLocked = unix.EWOULDBLOCK

// flock takes an exclusive lock on f without waiting.
func flock(f *os.File) error {
	for {
		err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB)
		if !errors.Is(err, unix.EINTR) {
			return err
		}
	}
}
