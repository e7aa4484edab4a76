package main

import (
	"encoding/json"
	"net/http"

	"github.com/errcode/errcode"
	"github.com/errcode/errcode/internal/testpeer"
)

// httpAnswers writes the testpeer.Answers of the error of the case
// r names.
func httpAnswers(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	err := makeError("answers/"+name, name)
	a := testpeer.Answers{
		Message:    []byte(err.Error()),
		Name:       errcode.NameOf(err),
		Ancestors:  errcode.AncestorNamesOf(err),
		Reason:     errcode.ReasonOf(err),
		Retry:      errcode.RetryOf(err).String(),
		RetryAfter: errcode.RetryAfterOf(err),
		GRPCCode:   errcode.GRPCCodeOf(err),
		HTTPStatus: errcode.HTTPStatusOf(err),
	}
	if a.Name != "" {
		a.Domain = errcode.CodeOf(err).Registry().Domain()
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(a)
}
