package report

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/parity-eval/parity/results"

	"github.com/parity-eval/parity/judges"
)

// ImagesDir is where a Writer saves image suites' answers, beside the
// results file; rows name them by their path relative to it.
const ImagesDir = "images"

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// saveImage writes a result's generated image (a data: URL) to a PNG file
// and returns its path relative to the output directory. An image already
// saved (a journaled row's path) is returned as it is.
func (w *Writer) saveImage(s *judges.Scored) (string, error) {
	if s.Result == nil || s.Result.Image == "" {
		return "", nil
	}
	img := s.Result.Image
	if !strings.HasPrefix(img, "data:") {
		return img, nil
	}
	comma := strings.IndexByte(img, ',')
	if comma < 0 || !strings.Contains(img[:comma], ";base64") {
		return "", fmt.Errorf("report: an image is not a base64 data: URL")
	}
	data, err := base64.StdEncoding.DecodeString(img[comma+1:])
	if err != nil {
		return "", fmt.Errorf("report: image of %s/%s: %w", results.SuiteName(s), results.CaseID(s), err)
	}
	sum := sha256.Sum256([]byte(results.CaseID(s)))
	name := fmt.Sprintf("%s-%s.%s.%d.png", unsafeName.ReplaceAllString(results.CaseID(s), "_"), hex.EncodeToString(sum[:4]),
		results.ProviderID(s), s.Result.Repeat)
	rel := filepath.Join(ImagesDir, results.SuiteName(s), name)
	if err := os.MkdirAll(filepath.Dir(w.path(rel)), 0o755); err != nil {
		return "", fmt.Errorf("report: %w", err)
	}
	if err := os.WriteFile(w.path(rel), data, 0o644); err != nil {
		return "", fmt.Errorf("report: %w", err)
	}
	return filepath.ToSlash(rel), nil
}
