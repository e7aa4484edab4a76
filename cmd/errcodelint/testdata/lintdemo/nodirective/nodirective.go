// Package nodirective is demo's Known without its directive.
package nodirective

func Known(err error) bool {
	return err.Error() == "EOF"
}
