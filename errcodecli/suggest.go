package errcodecli

import (
	"cmp"
	"slices"
	"strings"
)

// maxSuggestions is how many names suggest returns at most.
const maxSuggestions = 3

// suggest returns up to three of candidates closest to name, closest
// first (ties in candidates' order), by Levenshtein distance ignoring
// case. A candidate qualifies when its distance is at most half the
// length of name (at least 2) and at most 2 more than the closest one's:
// "VmBootTimeout" finds VmBootTimeoutError and VmBootError,
// "sandboxerror" only SandboxError, "Foo" nothing.
func suggest(name string, candidates []string) []string {
	type scored struct {
		name string
		dist int
	}
	lower := strings.ToLower(name)
	limit := max(2, len([]rune(name))/2)
	var found []scored
	seen := make(map[string]bool)
	for _, c := range candidates {
		if seen[c] {
			continue
		}
		seen[c] = true
		if d := levenshtein(lower, strings.ToLower(c)); d <= limit {
			found = append(found, scored{c, d})
		}
	}
	slices.SortStableFunc(found, func(a, b scored) int { return cmp.Compare(a.dist, b.dist) })
	var out []string
	for _, s := range found {
		if len(out) == maxSuggestions || s.dist > found[0].dist+2 {
			break
		}
		out = append(out, s.name)
	}
	return out
}

// levenshtein returns the number of single-rune insertions, deletions
// and substitutions that turn a into b.
func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
