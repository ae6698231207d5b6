package routing

import "github.com/parity-eval/parity/suites"

// priceOf is the rules' copy of a provider's configured price.
func priceOf(p suites.Price) *Price {
	return &Price{Input: p.Input, Output: p.Output, Image: p.Image, Source: p.Source, Checked: p.Checked}
}

// requestCost is what one request costs at the price: its tokens, plus
// one image when it generates one.
func (p *Price) requestCost(inTokens, outTokens float64, image bool) float64 {
	cost := (inTokens*p.Input + outTokens*p.Output) / 1e6
	if image {
		cost += p.Image
	}
	return cost
}

// costPerRequest is what a request of the candidate costs on a rule: the
// mean its successful requests were charged (their tokens and, on an
// image rule, their images, at the prices of the run), or when its rows
// carry no cost, its mean tokens at the configured price plus the price
// of an image on an image rule.
func (c routeCandidate) costPerRequest(images bool) float64 {
	measured := c.cost / (1 - c.errorRate)
	if measured > 0 || c.price == nil {
		return measured
	}
	return c.price.requestCost(c.inTokens, c.outTokens, images || c.inTokens+c.outTokens == 0 && c.price.Image > 0)
}
