// Package export writes routing rules in the formats routers load (Write):
// parity's own rules.yaml, a LiteLLM proxy config (model groups with
// fallbacks, weighted deployments for a split) and a Portkey gateway
// config (a conditional router on request metadata over fallback and
// loadbalance targets). An export names every provider's endpoint, so it
// needs the rules' provider references to carry base URLs.
//
// No export holds a key. Every LiteLLM deployment names its key as
// os.environ/VAR, or LiteLLMNoKey for an endpoint that takes none (so
// LiteLLM never sends OPENAI_API_KEY to it); it repeats the provider's
// headers and timeout when Options.Endpoints has them, less any header
// that may carry a credential (CredentialHeader), and sets model_info.mode
// to image_generation for image models.
package export
