package main

import (
	"flag"
	"fmt"
	"io"
	"strings"
)

// helpWidth is where help text wraps.
const helpWidth = 80

// help writes c's usage, what it does and every flag, for --help.
func (c *command) help(w io.Writer) {
	synopsis, what := c.synopsis()
	var b strings.Builder
	fmt.Fprintf(&b, "usage: parity %s\n\n", synopsis)
	wrap(&b, what, "", helpWidth)
	if hasFlags(c.fs) {
		b.WriteString("\nflags:\n")
		writeFlags(&b, c.fs)
	}
	io.WriteString(w, b.String())
}

// shortUsage writes c's synopsis and where its help is, after a usage
// error.
func (c *command) shortUsage(w io.Writer) {
	synopsis, _ := c.synopsis()
	fmt.Fprintf(w, "usage: parity %s\nparity %s --help shows every flag.\n", synopsis, c.name)
}

// synopsis splits c's usage, "synopsis   what it does", in two.
func (c *command) synopsis() (synopsis, what string) {
	synopsis, what, _ = strings.Cut(c.usage, "   ")
	return synopsis, strings.TrimSpace(what)
}

// writeFlags writes fs's flags as flag.PrintDefaults does, but as the
// README and users write them: --name, never -name.
func writeFlags(b *strings.Builder, fs *flag.FlagSet) {
	fs.VisitAll(func(f *flag.Flag) {
		value, usage := flag.UnquoteUsage(f)
		if value == "value" { // what UnquoteUsage calls a flag.Value of ours
			value = valueName(f.Value)
		}
		b.WriteString("  --" + f.Name)
		if value != "" {
			b.WriteString(" " + value)
		}
		b.WriteString("\n")
		if !isZeroDefault(f.DefValue) {
			def := f.DefValue
			if fmt.Sprintf("%T", f.Value) == "*flag.stringValue" {
				def = fmt.Sprintf("%q", def)
			}
			usage += " (default " + def + ")"
		}
		wrap(b, usage, "        ", helpWidth)
	})
}

// valueName names the value of a flag of one of the CLI's own types.
func valueName(v flag.Value) string {
	switch v.(type) {
	case *listFlag:
		return "list"
	case modeFlag:
		return "mode"
	}
	return "value"
}

// hasFlags reports whether fs defines any flag.
func hasFlags(fs *flag.FlagSet) bool {
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	return n > 0
}

// isZeroDefault reports whether a flag's default is its type's zero
// value, which help does not show.
func isZeroDefault(def string) bool {
	switch def {
	case "", "0", "false", "0s":
		return true
	}
	return false
}

// wrap writes text to b in lines of at most width bytes where its words
// allow, each line starting with indent.
func wrap(b *strings.Builder, text, indent string, width int) {
	line := indent
	for _, word := range strings.Fields(text) {
		if len(line) > len(indent) && len(line)+1+len(word) > width {
			b.WriteString(line + "\n")
			line = indent
		}
		if len(line) > len(indent) {
			line += " "
		}
		line += word
	}
	b.WriteString(line + "\n")
}
