// Package resume lets an interrupted parity run finish where it stopped,
// and only with the inputs it started with.
//
// A run records what it was started with beside its outputs, in
// ManifestFile (a Manifest: paths, never keys, and a Fingerprint of every
// input that decides a result), and its report writer journals each
// result as it arrives (results.JournalFile). A resumed run reads the
// manifest back with Read, compares fingerprints, and Replays the journal
// into its new outputs; the Journaled results it returns tell the runner
// which requests not to send again, and the judges which baseline
// answers later answers compare with.
//
//	m, err := resume.Read(dir)
//	if fp, _ := resume.Fingerprints(cfg, ss, m.Repeat); m.Fingerprint != fp { ... }
//	j, err := resume.Replay(dir, cfg, ss, w.Replay)
//	r := runner.New(cfg, runner.Skip(j.Skip))
//
// While a run (new or resumed) writes into its directory it holds it with
// Lock: a second run is refused with a LockedError naming the Holder, and
// a lock left by a run that died is taken over (DirLock.Stale).
package resume
