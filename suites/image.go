package suites

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

// maxImageBytes bounds an image file: providers refuse larger ones, and
// every request in flight holds its images in memory.
const maxImageBytes = 20 << 20

// sniffBytes is what http.DetectContentType reads of a file, at most.
const sniffBytes = 512

// loadImage resolves an image source: an http(s) URL is sent as written;
// a file (relative to dir) is read and sent as a base64 data: URL.
func loadImage(dir, src string) (Image, error) {
	if sentAsWritten(src) {
		return Image{Source: src, URL: src}, nil
	}
	path, err := imageFile(dir, src)
	if err != nil {
		return Image{}, err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return Image{}, fmt.Errorf("image %s: %w", src, err)
	}
	if len(data) > maxImageBytes {
		return Image{}, tooBig(src, int64(len(data)))
	}
	mime, err := imageType(src, data)
	if err != nil {
		return Image{}, err
	}
	return Image{Source: src, URL: "data:" + mime + ";base64," + base64.StdEncoding.EncodeToString(data)}, nil
}

// checkImage checks what loadImage would: the source is a URL, or a file
// within the size limit whose first bytes are an image's. It reads only
// those bytes and returns the image without its URL: load checks every
// case's images without holding them.
func checkImage(dir, src string) (Image, error) {
	if sentAsWritten(src) {
		return Image{Source: src, URL: src}, nil
	}
	path, err := imageFile(dir, src)
	if err != nil {
		return Image{}, err
	}
	f, err := os.Open(path)
	if err != nil {
		return Image{}, fmt.Errorf("image %s: %w", src, err)
	}
	defer f.Close()
	head := make([]byte, sniffBytes)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return Image{}, fmt.Errorf("image %s: %w", src, err)
	}
	if _, err := imageType(src, head[:n]); err != nil {
		return Image{}, err
	}
	return Image{Source: src}, nil
}

// sentAsWritten reports whether an image source is a URL, sent as is.
func sentAsWritten(src string) bool {
	return strings.HasPrefix(src, "https://") || strings.HasPrefix(src, "http://") || strings.HasPrefix(src, "data:image/")
}

// imageFile returns the path of an image file, relative to dir, after
// checking it exists and is within maxImageBytes.
func imageFile(dir, src string) (string, error) {
	if src == "" {
		return "", fmt.Errorf("an image source renders empty")
	}
	path := src
	if !filepath.IsAbs(path) {
		path = filepath.Join(dir, src)
	}
	info, err := os.Stat(path)
	if err != nil {
		return "", fmt.Errorf("image %s: %w", src, err)
	}
	if info.Size() > maxImageBytes {
		return "", tooBig(src, info.Size())
	}
	return path, nil
}

func tooBig(src string, size int64) error {
	return fmt.Errorf("image %s is %d MB; the limit is %d MB", src, size>>20, maxImageBytes>>20)
}

// imageType returns the MIME type of an image file's data (its first
// sniffBytes suffice), or an error when it is not an image.
func imageType(src string, data []byte) (string, error) {
	mime := http.DetectContentType(data)
	if !strings.HasPrefix(mime, "image/") {
		return "", fmt.Errorf("image %s is not an image (%s)", src, mime)
	}
	return mime, nil
}
