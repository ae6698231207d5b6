package runner

// MaxTokensPerRequest is the most tokens, prompt or answer, a provider's
// usage may report for one request before it is not believed: no model
// takes or writes ten million tokens in one request.
const MaxTokensPerRequest = 10_000_000

// Believable reports whether a provider's usage for one request (in
// prompt tokens, out answer tokens) can be true of a request estimated at
// estIn and estOut tokens (see Runner.Estimate: the prompt at four
// characters a token, the answer at max_tokens or DefaultOutputTokens).
// It is not when a count is negative or above MaxTokensPerRequest, when
// the prompt is more than 16 times its estimate plus 1,000 (the estimate
// can be 4x low for scripts at a character a token, and images and tools
// add their own), or when the answer is more than 4 times its estimate
// plus 1,000. Such usage is costed from the estimate and flagged on the
// row (Result.UsageEstimated), so one absurd answer cannot make a
// provider look free, or cost more than a budget allows.
func Believable(in, out, estIn, estOut int) bool {
	switch {
	case in < 0 || out < 0 || in > MaxTokensPerRequest || out > MaxTokensPerRequest:
		return false
	case in > 16*estIn+1000 || out > 4*estOut+1000:
		return false
	}
	return true
}
