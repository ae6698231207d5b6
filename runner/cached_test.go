package runner

import (
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/parity-eval/parity/runner/cache"
)

// TestCacheRoundTripEveryReplyField fails when Reply gains a field the
// cache does not keep: the conversion to the cache's record and back, and
// the entry on disk, must carry every field.
func TestCacheRoundTripEveryReplyField(t *testing.T) {
	t.Parallel()
	var want Reply
	rv := reflect.ValueOf(&want).Elem()
	for i := range rv.NumField() {
		f := rv.Field(i)
		switch f.Kind() {
		case reflect.String:
			f.SetString("value of " + rv.Type().Field(i).Name)
		case reflect.Int, reflect.Int64:
			f.SetInt(int64(1000 + i))
		case reflect.Slice: // []ToolCall
			f.Set(reflect.ValueOf([]ToolCall{{Name: "f", Arguments: `{"a":1}`}, {Name: "g", Arguments: `{"b`}}))
		default:
			t.Fatalf("Reply.%s is a %s: add it to cache.Reply, toCacheReply, fromCacheReply and to this test", rv.Type().Field(i).Name, f.Kind())
		}
	}
	c, err := cache.Open(filepath.Join(t.TempDir(), "cache"), 0)
	if err != nil {
		t.Fatal(err)
	}
	key := cache.Key("http://fixtures/v1", "m", []byte("every field"))
	if err := c.Put(key, cache.Entry{Reply: toCacheReply(want), Stored: time.Now()}); err != nil {
		t.Fatal(err)
	}
	got, ok := c.Get(key)
	if !ok {
		t.Fatal("miss after Put")
	}
	if reply := fromCacheReply(got.Reply); !reflect.DeepEqual(reply, want) {
		t.Fatalf("Reply after round trip = %+v, want %+v", reply, want)
	}
}
