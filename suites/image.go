package suites

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

// maxImageBytes bounds an image file: providers refuse larger ones, and
// every case holds its images in memory.
const maxImageBytes = 20 << 20

// loadImage resolves an image source: an http(s) URL is sent as written;
// a file (relative to dir) is read and sent as a base64 data: URL.
func loadImage(dir, src string) (Image, error) {
	if strings.HasPrefix(src, "https://") || strings.HasPrefix(src, "http://") || strings.HasPrefix(src, "data:image/") {
		return Image{Source: src, URL: src}, nil
	}
	if src == "" {
		return Image{}, fmt.Errorf("an image source renders empty")
	}
	path := src
	if !filepath.IsAbs(path) {
		path = filepath.Join(dir, src)
	}
	info, err := os.Stat(path)
	if err != nil {
		return Image{}, fmt.Errorf("image %s: %w", src, err)
	}
	if info.Size() > maxImageBytes {
		return Image{}, fmt.Errorf("image %s is %d MB; the limit is %d MB", src, info.Size()>>20, maxImageBytes>>20)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return Image{}, fmt.Errorf("image %s: %w", src, err)
	}
	mime := http.DetectContentType(data)
	if !strings.HasPrefix(mime, "image/") {
		return Image{}, fmt.Errorf("image %s is not an image (%s)", src, mime)
	}
	return Image{Source: src, URL: "data:" + mime + ";base64," + base64.StdEncoding.EncodeToString(data)}, nil
}
