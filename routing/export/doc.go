// Package export writes routing rules in the formats routers load (Write):
// parity's own rules.yaml, a LiteLLM proxy config (model groups with
// fallbacks, weighted deployments for a split) and a Portkey gateway
// config (a conditional router on request metadata over fallback and
// loadbalance targets). An export names every provider's endpoint, so it
// needs the rules' provider references to carry base URLs.
package export
