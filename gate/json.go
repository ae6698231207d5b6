package gate

import (
	"encoding/json"
	"io"
	"math"
	"strconv"
)

// NullFloat is a float64 that encodes as JSON null when it is NaN or
// infinite (an undefined statistic), and otherwise with six significant
// digits. null decodes as NaN.
type NullFloat float64

// MarshalJSON implements json.Marshaler.
func (f NullFloat) MarshalJSON() ([]byte, error) {
	x := float64(f)
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, x, 'g', 6, 64), nil
}

// UnmarshalJSON implements json.Unmarshaler.
func (f *NullFloat) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*f = NullFloat(math.NaN())
		return nil
	}
	var x float64
	if err := json.Unmarshal(b, &x); err != nil {
		return err
	}
	*f = NullFloat(x)
	return nil
}

// Valid reports whether the value is defined (neither NaN nor infinite).
func (f NullFloat) Valid() bool {
	x := float64(f)
	return !math.IsNaN(x) && !math.IsInf(x, 0)
}

// WriteJSON writes the result as indented JSON.
func (r *Result) WriteJSON(w io.Writer) error { return writeJSON(w, r) }

// writeJSON writes v as JSON indented by two spaces, with <, > and & left
// as they are: how the gate, diff and history results all print.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
