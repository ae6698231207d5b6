package suites

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// writeCasesSuite writes a suite over a cases_file of the given text and
// loads it.
func writeCasesSuite(t *testing.T, cases string) (*Suite, string) {
	t.Helper()
	dir := t.TempDir()
	suite := "name: s\ntags: [t]\nprompt: {user: 'q {{.t}}'}\ncases_file: c.jsonl\n"
	path := filepath.Join(dir, "c.jsonl")
	for name, body := range map[string]string{"s.yaml": suite, "c.jsonl": cases} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	s, err := LoadFile(filepath.Join(dir, "s.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return s, path
}

// TestCasesReadAgain checks a cases_file's cases come back from the file
// as they were loaded, in any order and through any reader: lines with
// CRLF, comments and blank lines between, a last line without a newline,
// a line longer than a reader's first read, and a case without an id
// (named by its position, also in a filtered copy).
func TestCasesReadAgain(t *testing.T) {
	long := strings.Repeat("x", 3*readChunk)
	text := "# a comment\r\n" +
		`{"id": "a", "vars": {"t": "one"}, "reference": "r1"}` + "\r\n" +
		"\n" +
		`{"id": "b", "vars": {"t": "` + long + `"}}` + "\n" +
		`{"vars": {"t": "three"}, "metadata": {"k": "v"}}` + "\n" +
		`{"id": "d", "vars": {"t": "four"}}`
	s, _ := writeCasesSuite(t, text)
	want := []struct{ id, user string }{{"a", "q one"}, {"b", "q " + long}, {"case-3", "q three"}, {"d", "q four"}}
	if s.Cases.Len() != len(want) {
		t.Fatalf("%d cases, want %d", s.Cases.Len(), len(want))
	}
	check := func(how string, i int, c *Case, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s %d: %v", how, i, err)
		}
		m, err := s.Messages(c)
		if err != nil || c.ID != want[i].id || m.User != want[i].user {
			t.Fatalf("%s %d: case %q renders %.40q (%v), want %q %.40q", how, i, c.ID, m.User, err, want[i].id, want[i].user)
		}
	}
	var r CaseReader
	for _, i := range []int{3, 0, 2, 1, 1, 3} { // backwards, forwards, twice
		c, err := r.Case(s.Cases, i)
		check("reader", i, c, err)
		c, err = s.Cases.At(i)
		check("At", i, c, err)
	}
	if c, _ := s.Cases.At(0); c.Source() != filepath.Join(filepath.Dir(s.File), "c.jsonl")+":2" {
		t.Errorf("source %q, want c.jsonl:2", c.Source())
	}
	kept, err := s.Cases.Filter(func(c *Case) bool { return c.ID != "a" })
	if err != nil || kept.Len() != 3 {
		t.Fatalf("filtered: %d cases, %v", kept.Len(), err)
	}
	if c, err := kept.At(1); err != nil || c.ID != "case-3" {
		t.Errorf("a case without id keeps its name in a filtered copy: got %v, %v", c, err)
	}
}

// TestCasesFileChanged checks a cases_file edited after its suite was
// loaded fails the case it no longer holds, naming its file and line, and
// never reads another case in its place.
func TestCasesFileChanged(t *testing.T) {
	var text strings.Builder
	for i := range 5 {
		fmt.Fprintf(&text, `{"id": "c%d", "vars": {"t": "v%d"}}`+"\n", i, i)
	}
	for name, edit := range map[string]func(string) string{
		"a line changed in place": func(s string) string { return strings.Replace(s, `"v3"`, `"w3"`, 1) },
		"a line inserted before":  func(s string) string { return `{"id": "new", "vars": {"t": "n"}}` + "\n" + s },
		"the file cut short":      func(s string) string { return s[:len(s)/2] },
		"the file gone":           nil,
	} {
		t.Run(name, func(t *testing.T) {
			s, path := writeCasesSuite(t, text.String())
			var err error
			if edit == nil {
				err = os.Remove(path)
			} else {
				err = os.WriteFile(path, []byte(edit(text.String())), 0o644)
			}
			if err != nil {
				t.Fatal(err)
			}
			c, err := s.Cases.At(3)
			if err == nil {
				t.Fatalf("read %q (%s) from the changed file", c.ID, c.varsJSON)
			}
			if !strings.Contains(err.Error(), "c.jsonl:4") {
				t.Errorf("the error does not name file:line: %v", err)
			}
			if err := s.Cases.Each(func(*Case) error { return nil }); err == nil {
				t.Error("Each read every case of the changed file")
			}
		})
	}
}

// TestCasesTrailingText checks a line with text after its case's object
// is refused at load, naming the line: it was once read as the object
// alone.
func TestCasesTrailingText(t *testing.T) {
	dir := t.TempDir()
	suite := "name: s\ntags: [t]\nprompt: {user: 'q {{.t}}'}\ncases_file: c.jsonl\n"
	cases := `{"id": "a", "vars": {"t": "x"}}` + "\n" + `{"id": "b", "vars": {"t": "y"}} {"id": "c"}` + "\n"
	for name, body := range map[string]string{"s.yaml": suite, "c.jsonl": cases} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, err := LoadFile(filepath.Join(dir, "s.yaml"))
	if err == nil || !strings.Contains(err.Error(), "c.jsonl:2") || !strings.Contains(err.Error(), "text after the object") {
		t.Fatalf("err = %v, want c.jsonl:2 and text after the object", err)
	}
}

// TestCasesHoldNoCase checks what a loaded cases_file suite keeps per
// case: the 16-byte reference to its line, not the case.
func TestCasesHoldNoCase(t *testing.T) {
	s, err := LoadFile(writeBigSuite(t, 1000))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Cases.held) != 0 || len(s.Cases.lines) != 1000 {
		t.Fatalf("held %d cases and %d lines, want 0 and 1000", len(s.Cases.held), len(s.Cases.lines))
	}
	c, err := s.Cases.At(999)
	if err != nil || c.ID != "case-0000999" {
		t.Fatalf("last case %v, %v", c, err)
	}
}

// TestCaseIDsCollide checks the duplicate-id check when ids' hashes
// collide, down to all of them alike: distinct ids all load, and a
// repeated id, inline or in the cases_file, is refused naming both
// lines, whichever of the colliding ids it repeats.
func TestCaseIDsCollide(t *testing.T) {
	for _, collide := range []uint64{0, 0xffffffff00000000, ^uint64(0)} {
		t.Run(fmt.Sprintf("%x", collide), func(t *testing.T) {
			var text strings.Builder
			for i := range 50 {
				fmt.Fprintf(&text, `{"id": "c%d", "vars": {"t": "x"}}`+"\n", i)
			}
			load := func(extra string) error {
				dir := t.TempDir()
				suite := "name: s\ntags: [t]\nprompt: {user: 'q {{.t}}'}\ncases: [{id: inline, vars: {t: y}}]\ncases_file: c.jsonl\n"
				for name, body := range map[string]string{"s.yaml": suite, "c.jsonl": text.String() + extra} {
					if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				path := filepath.Join(dir, "s.yaml")
				data, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				var raw rawSuite
				f, err := decodeYAML(path, data, &raw)
				if err != nil {
					t.Fatal(err)
				}
				ids := newCaseIDs()
				ids.collide = collide
				l := suiteLoader{f: f, dir: dir, ids: ids}
				s, err := l.suite(&raw)
				if err == nil && s.Cases.Len() != 51 {
					t.Fatalf("%d cases, want 51", s.Cases.Len())
				}
				return err
			}
			if err := load(""); err != nil {
				t.Fatalf("distinct ids refused: %v", err)
			}
			for _, dup := range []struct{ id, at string }{{"c0", "c.jsonl:1"}, {"c37", "c.jsonl:38"}, {"inline", "s.yaml:4"}} {
				err := load(fmt.Sprintf(`{"id": %q, "vars": {"t": "z"}}`+"\n", dup.id))
				if err == nil || !strings.Contains(err.Error(), "c.jsonl:51") || !strings.Contains(err.Error(), dup.at) {
					t.Errorf("repeating %s: %v, want c.jsonl:51 and %s named", dup.id, err, dup.at)
				}
			}
		})
	}
}

// TestCaseIndexFind checks CaseIndex finds every case of a cases_file
// suite by id, read again, and no case for an id the suite lacks, with
// hashes distinct and all alike.
func TestCaseIndexFind(t *testing.T) {
	var text strings.Builder
	for i := range 40 {
		fmt.Fprintf(&text, `{"id": "c%d", "vars": {"t": "v%d"}}`+"\n", i, i)
	}
	s, _ := writeCasesSuite(t, text.String())
	for _, collide := range []uint64{0, ^uint64(0)} {
		ids := newCaseIDs()
		ids.collide = collide
		x, err := s.Cases.index(ids)
		if err != nil {
			t.Fatal(err)
		}
		for _, i := range []int{39, 0, 17, 17} {
			c, err := x.Find(fmt.Sprint("c", i))
			if err != nil || c == nil || c.varsJSON != fmt.Sprintf(`{"t": "v%d"}`, i) {
				t.Errorf("collide %x: c%d found %v, %v", collide, i, c, err)
			}
		}
		if c, err := x.Find("c40"); c != nil || err != nil {
			t.Errorf("collide %x: an unknown id found %v, %v", collide, c, err)
		}
	}
}

// TestCasesFromPipe checks a cases_file that cannot be read again, a
// named pipe, loads with its cases held: they are all there after the
// pipe is drained.
func TestCasesFromPipe(t *testing.T) {
	dir := t.TempDir()
	pipe := filepath.Join(dir, "c.jsonl")
	if err := syscall.Mkfifo(pipe, 0o644); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "s.yaml"), []byte("name: s\ntags: [t]\nprompt: {user: 'q {{.t}}'}\ncases_file: c.jsonl\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	wrote := make(chan error, 1)
	go func() {
		wrote <- os.WriteFile(pipe, []byte(`{"id": "a", "vars": {"t": "x"}}`+"\n"+`{"id": "b", "vars": {"t": "y"}}`+"\n"), 0o644)
	}()
	s, err := LoadFile(filepath.Join(dir, "s.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := <-wrote; err != nil {
		t.Fatal(err)
	}
	if len(s.Cases.lines) != 0 || s.Cases.Len() != 2 {
		t.Fatalf("%d lines to read again, %d cases; want 0 and 2", len(s.Cases.lines), s.Cases.Len())
	}
	for i, want := range []string{"q x", "q y"} {
		c, err := s.Cases.At(i)
		if err != nil {
			t.Fatal(err)
		}
		if m, err := s.Messages(c); err != nil || m.User != want {
			t.Errorf("case %d renders %q, %v; want %q", i, m.User, err, want)
		}
	}
}

// TestCaseReaderReads checks what a CaseReader reads of a cases_file:
// about the file once when the cases are read in its order, and about a
// randomChunk a case when they are read shuffled (a 64 KiB read a case
// would be 16 times that).
func TestCaseReaderReads(t *testing.T) {
	var text strings.Builder
	for i := range 2000 {
		fmt.Fprintf(&text, `{"id": "c%04d", "vars": {"t": "%s"}}`+"\n", i, strings.Repeat("v", 60))
	}
	s, _ := writeCasesSuite(t, text.String())
	var inOrder CaseReader
	for i := range s.Cases.Len() {
		if _, err := inOrder.Case(s.Cases, i); err != nil {
			t.Fatal(err)
		}
	}
	size := int64(text.Len())
	if inOrder.bytesRead < size || inOrder.bytesRead > size+readChunk {
		t.Errorf("in order: read %d bytes of a %d-byte file", inOrder.bytesRead, size)
	}
	var shuffled CaseReader
	for _, i := range rand.New(rand.NewPCG(1, 2)).Perm(s.Cases.Len()) {
		c, err := shuffled.Case(s.Cases, i)
		if err != nil || c.ID != fmt.Sprintf("c%04d", i) {
			t.Fatalf("case %d: %v, %v", i, c, err)
		}
	}
	if limit := int64(s.Cases.Len()) * randomChunk * 5 / 4; shuffled.bytesRead > limit {
		t.Errorf("shuffled: read %d bytes, want at most %d", shuffled.bytesRead, limit)
	}
}
