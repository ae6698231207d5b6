// Package runner sends every case of every suite to every provider,
// concurrently, and streams the results as they finish.
//
// All provider traffic goes through go-openai against OpenAI-compatible
// endpoints. Concurrency is bounded per provider (its limits.concurrency) and
// globally; a slow provider never holds back the others, unless Admit gates
// the cases, which keeps the providers in step. The work goes by suite and
// case, or in a seeded order that interleaves the suites (Order). A provider
// failure is data: it becomes a Result with an error class, never a returned
// error.
package runner
