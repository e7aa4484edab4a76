package errcode

import "strings"

// codeDetails returns the safe details that describe c on the wire and in
// errors.GetSafeDetails: its name, its retry decision and its ancestors
// (parent first). Code names hold no whitespace, so the ancestor list is
// separated by spaces.
func codeDetails(c *code) []string {
	if c == nil {
		return nil
	}
	return []string{
		"code=" + c.name,
		"retry=" + c.retry.String(),
		"ancestors=" + strings.Join(ancestorNames(c), " "),
	}
}
