// Package routing suggests which provider serves which job: per task tag
// and capacity tier, the cheapest provider that holds quality, with
// fallbacks, proven on held-out cases and costed a month ahead.
//
// Evidence accumulates, as rows arrive (AddScored) or are read back
// (AddRow), the few numbers per case and provider the choice needs; New
// (or Build, from a config's routing settings) chooses the Rules.
//
// # Choosing
//
// Rules are chosen per tag and capacity tier (a suite without tags counts
// as "untagged"; a rule outside the default tier is named tag@tier) among
// the providers that may serve it: none lacking a capability its suites
// need (their rows are "unsupported", or the config says so), none that
// failed every request. Quality is the lower bound of the 95% interval of
// the mean score (Student's t, standard error clustered by case, so
// repeats count once per case):
//
//   - best: the highest lower bound, ties to the higher mean, then cheaper;
//   - primary: the cheapest whose lower bound is within the tolerance of
//     the best's and that is non-inferior to the best on paired cases
//     (rows paired by suite, case and repeat; the lower bound of the
//     interval on primary - best at least -tolerance);
//   - fallbacks: the others by quality then error rate, at most
//     max_fallbacks, ending on the most reliable (fewest errors);
//   - split: when two or more are eligible for primary, 80% to the primary
//     and 20% to the most reliable other one, with the mix's expected
//     score, cost and error rate;
//   - canary: with a gate result (CanaryGate), a share (5%) of each rule
//     whose tag the candidate passed, none where it failed.
//
// A provider the config gives no price (suites.Provider.Unpriced) has rows
// that cost $0 because its price is unknown, not because it is free: it
// ranks as costing more than every priced provider, so it is never primary
// on cost grounds. It is primary only where it is the best and no priced
// provider qualifies, it may still be a fallback or a split target, and
// the rules' warnings and each concerned rule's why say so. An explicit
// price of {input: 0, output: 0} is priced, and free. Rules chosen without
// a config (from results alone) know nothing of prices: every cost is the
// rows' own, and a provider whose rows cost $0 counts as free.
//
// # Proof and cost
//
// The method is proven on held-out cases (Holdout: seeded splits within
// each rule, cross-validated under 20 cases; quality kept and cost saved
// against the best and the baseline, RouteLLM's PGR and APGR, FrugalGPT's
// cost to match the best, the curve over tolerances) and costed a month at
// 5M to 5B requests or tokens (Projections), each rule's requests at what
// they cost in the run: an image model's at its price per image (the
// price's image field, USD per image, beside its per-million-token input
// and output), never at $0 for carrying no tokens. Package export writes the
// rules as the configs of the routers teams run.
package routing
