// Package cache keeps providers' answers on disk, so a rerun spends
// nothing twice.
//
// An answer is stored under a Key of everything that determines it: the
// endpoint's base URL, the model and the request body as it goes out
// (canonical JSON), never the API key or headers. SampleKey gives each
// repeat of one request a key of its own. A Cache maps keys to Entries,
// one JSON file each, and any number of processes may share its
// directory.
//
// The format on disk is versioned and byte-stable: users' caches hold
// entries written by earlier builds, and an entry that stops reading is a
// request paid for again. The entry types here are the package's own, not
// a caller's: runner converts its replies to and from Reply.
//
// The package imports nothing of parity's.
package cache
