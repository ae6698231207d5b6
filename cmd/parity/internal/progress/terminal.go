package progress

import (
	"io"
	"os"

	"golang.org/x/term"
)

// IsTerminal tells whether w is an *os.File open on a terminal that can
// move its cursor: not when TERM is "dumb" (the environment is read).
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd())) && os.Getenv("TERM") != "dumb"
}

// terminalSize returns a function reporting w's size in columns and rows,
// asked again at every frame since a terminal can be resized; it reports
// 0, 0 when w is not a terminal.
func terminalSize(w io.Writer) func() (cols, rows int) {
	f, ok := w.(*os.File)
	if !ok {
		return nil
	}
	return func() (int, int) {
		cols, rows, err := term.GetSize(int(f.Fd()))
		if err != nil {
			return 0, 0
		}
		return cols, rows
	}
}
