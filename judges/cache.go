package judges

import (
	"container/list"
	"context"
	"fmt"
	"sync"
)

// DefaultCacheSize is how many embeddings a Scorer keeps by default: at
// 3072 dimensions about 25 MB.
const DefaultCacheSize = 1024

// cache is an Embedder that remembers embeddings by text within a run, so
// a reference shared by every provider and repeat, or a baseline output
// compared with every provider, is embedded (and paid for) once. Texts
// asked for together are embedded in one call; a text another caller is
// already embedding is waited for, not asked again. It holds at most size
// embeddings, dropping the least recently used.
type cache struct {
	next Embedder
	size int

	mu      sync.Mutex
	entries map[string]*entry
	lru     *list.List // of *entry, most recent first; done entries only
}

// entry is one text's embedding, pending until done is closed.
type entry struct {
	text string
	vec  []float64
	err  error
	done chan struct{}
	elem *list.Element
}

func newCache(next Embedder, size int) *cache {
	if size <= 0 {
		size = DefaultCacheSize
	}
	return &cache{next: next, size: size, entries: map[string]*entry{}, lru: list.New()}
}

// Embed returns the embeddings of texts, calling the embedder only for
// texts neither cached nor being embedded. The tokens are those this call
// was billed for: 0 when every text was cached.
func (c *cache) Embed(ctx context.Context, texts []string) ([][]float64, int, error) {
	all, mine := c.claim(texts)
	tokens, err := c.fill(ctx, mine)
	if err != nil {
		return nil, tokens, err
	}
	out := make([][]float64, len(texts))
	for i, e := range all {
		select {
		case <-e.done:
		case <-ctx.Done():
			return nil, tokens, ctx.Err()
		}
		if e.err != nil {
			return nil, tokens, e.err
		}
		out[i] = e.vec
	}
	return out, tokens, nil
}

// claim returns the entry of every text, and the new entries this caller
// must fill.
func (c *cache) claim(texts []string) (all, mine []*entry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	all = make([]*entry, len(texts))
	for i, t := range texts {
		e, ok := c.entries[t]
		if !ok {
			e = &entry{text: t, done: make(chan struct{})}
			c.entries[t] = e
			mine = append(mine, e)
		} else if e.elem != nil {
			c.lru.MoveToFront(e.elem)
		}
		all[i] = e
	}
	return all, mine
}

// fill embeds the claimed entries in one call and publishes the result.
// On failure the entries are forgotten, so a later row tries again.
func (c *cache) fill(ctx context.Context, mine []*entry) (int, error) {
	if len(mine) == 0 {
		return 0, nil
	}
	texts := make([]string, len(mine))
	for i, e := range mine {
		texts[i] = e.text
	}
	vecs, tokens, err := c.next.Embed(ctx, texts)
	if err == nil && len(vecs) != len(texts) {
		err = fmt.Errorf("asked for %d embeddings, got %d", len(texts), len(vecs))
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, e := range mine {
		if err != nil {
			e.err = err
			delete(c.entries, e.text)
		} else {
			e.vec = vecs[i]
			e.elem = c.lru.PushFront(e)
		}
		close(e.done)
	}
	c.evict()
	return tokens, err
}

// evict drops the least recently used embeddings beyond size. Callers
// holding an entry keep its vector.
func (c *cache) evict() {
	for c.lru.Len() > c.size {
		e := c.lru.Remove(c.lru.Back()).(*entry)
		delete(c.entries, e.text)
	}
}

// held reports how many texts the cache holds or is embedding.
func (c *cache) held() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}
