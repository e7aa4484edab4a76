package textmatch

import "strings"

// A directive names the check and why; on the line or alone above it.
func suppressed(err error) bool {
	//errcodelint:ignore textmatch the vendor documents this message as its contract
	if strings.Contains(err.Error(), "quota exceeded") {
		return true
	}
	if err.Error() == "EOF" { //errcodelint:ignore all the peer sends no code for end of stream
		return true
	}
	//errcodelint:ignore registerinit,textmatch several checks, separated by commas
	if strings.HasPrefix(err.Error(), "x509:") {
		return true
	}
	//errcodelint:ignore registerinit a directive for another check suppresses nothing here
	return err.Error() == "closed" // want `decision on an error's text \(==\)`
}
