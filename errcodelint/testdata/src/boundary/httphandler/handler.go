// Package httphandler has HTTP handlers that write errors with
// errcode.WriteHTTPError.
package httphandler

import (
	"errors"
	"fmt"
	"net/http"

	crdb "github.com/cockroachdb/errors"

	"github.com/errcode/errcode"
)

func makers(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/std":
		errcode.WriteHTTPError(w, errors.New("x")) // want `error without a code \(errors.New\) crosses the HTTP boundary: make it with an errcode Code \(Code.New/Wrap\)`
	case "/with":
		errcode.WriteHTTPErrorWith(w, errors.New("x"), errcode.DisclosePublic) // want `\(errors.New\) crosses the HTTP boundary`
	case "/fmt":
		errcode.WriteHTTPError(w, fmt.Errorf("bad path %q", r.URL.Path)) // want `\(fmt.Errorf\) crosses`
	case "/percent":
		errcode.WriteHTTPError(w, fmt.Errorf("100%%w done")) // want `\(fmt.Errorf\) crosses`
	case "/fmtw":
		errcode.WriteHTTPError(w, fmt.Errorf("path: %w", lookup()))
	case "/fmtindexw":
		errcode.WriteHTTPError(w, fmt.Errorf("%[2]s: %-[1]w", lookup(), "path"))
	case "/fmtvar":
		format := "bad path %q"
		errcode.WriteHTTPError(w, fmt.Errorf(format, r.URL.Path))
	case "/crdbnew":
		errcode.WriteHTTPError(w, crdb.NewWithDepth(1, "x")) // want `\(github.com/cockroachdb/errors.NewWithDepth\) crosses`
	case "/crdbnewf":
		errcode.WriteHTTPError(w, crdb.Newf("bad %s: %v", r.URL.Path, lookup())) // want `\(github.com/cockroachdb/errors.Newf\) crosses`
	case "/crdberrorf":
		errcode.WriteHTTPError(w, crdb.Errorf("bad %s", r.URL.Path)) // want `\(github.com/cockroachdb/errors.Errorf\) crosses`
	case "/crdbdepthf":
		errcode.WriteHTTPError(w, crdb.NewWithDepthf(1, "bad %s", r.URL.Path)) // want `\(github.com/cockroachdb/errors.NewWithDepthf\) crosses`
	case "/crdbassert":
		errcode.WriteHTTPError(w, crdb.AssertionFailedf("bad %s", r.URL.Path)) // want `\(github.com/cockroachdb/errors.AssertionFailedf\) crosses`
	case "/crdbassertdepth":
		errcode.WriteHTTPError(w, crdb.AssertionFailedWithDepthf(1, "bad")) // want `\(github.com/cockroachdb/errors.AssertionFailedWithDepthf\) crosses`
	case "/crdbnewfw":
		errcode.WriteHTTPError(w, crdb.Newf("bad: %w", lookup()))
	case "/crdbwrap":
		errcode.WriteHTTPError(w, crdb.Wrap(lookup(), "x"))
	case "/coded":
		errcode.WriteHTTPError(w, errcode.VmConfigError.New("vcpus must be 1-64"))
	case "/codedwrap":
		errcode.WriteHTTPError(w, errcode.VmConfigError.Wrap(errors.New("x"), "parse"))
	case "/call":
		errcode.WriteHTTPError(w, lookup())
	case "/suppressed":
		//errcodelint:ignore boundary,textmatch a legacy client reads this body
		errcode.WriteHTTPError(w, errors.New("x"))
	case "/suppressedall":
		errcode.WriteHTTPError(w, errors.New("x")) //errcodelint:ignore all a legacy client reads this body
	}
}

func lookup() error { return errcode.VmConfigError.New("x") }

func locals(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/one":
		err := errors.New("x")
		errcode.WriteHTTPError(w, err) // want `\(err, from errors.New\) crosses the HTTP boundary`
	case "/var":
		var err = fmt.Errorf("x")
		errcode.WriteHTTPError(w, (err)) // want `\(err, from fmt.Errorf\) crosses`
	case "/zero":
		var err error
		if r.Method == http.MethodPost {
			err = errors.New("post")
		} else {
			err = crdb.New("other")
		}
		err = nil
		errcode.WriteHTTPError(w, err) // want `\(err, from errors.New, github.com/cockroachdb/errors.New\) crosses`
	case "/closure":
		err := errors.New("x")
		func() { err = errors.New("y") }()
		errcode.WriteHTTPError(w, err) // want `\(err, from errors.New\) crosses`
	case "/reassigned":
		err := errors.New("x")
		err = errcode.VmConfigError.Wrap(err, "parse")
		errcode.WriteHTTPError(w, err)
	case "/reassignedinclosure":
		err := errors.New("x")
		func() { err = lookup() }()
		errcode.WriteHTTPError(w, err)
	case "/wrapverb":
		err := errors.New("x")
		err = fmt.Errorf("parse: %w", err)
		errcode.WriteHTTPError(w, err)
	case "/multi":
		n, err := 1, errors.New("x")
		_ = n
		errcode.WriteHTTPError(w, err) // want `\(err, from errors.New\) crosses`
	case "/tuple":
		_, err := fmt.Println()
		errcode.WriteHTTPError(w, err)
	case "/tupledecl":
		var _, err = fmt.Println()
		errcode.WriteHTTPError(w, err)
	case "/address":
		err := errors.New("x")
		setCoded(&err)
		errcode.WriteHTTPError(w, err)
	case "/range":
		err := errors.New("x")
		for _, err = range []error{lookup()} {
		}
		errcode.WriteHTTPError(w, err)
	case "/nilonly":
		var err error
		errcode.WriteHTTPError(w, err)
	case "/typeswitch":
		switch err := lookup().(type) {
		default:
			errcode.WriteHTTPError(w, err)
		}
	}
}

func setCoded(err *error) { *err = errcode.VmConfigError.Wrap(*err, "x") }

var sentinel = errors.New("not found")

func params(w http.ResponseWriter, r *http.Request) {
	// A package-level variable may be assigned anywhere: not seen.
	errcode.WriteHTTPError(w, sentinel)
}

// writeErr has an error parameter: what it is, the analyzer cannot see.
// It is not a handler either.
func writeErr(w http.ResponseWriter, err error) {
	errcode.WriteHTTPError(w, err)
	errcode.WriteHTTPError(w, errors.New("x"))
}

type api struct{}

func (api) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	errcode.WriteHTTPError(w, errors.New("x")) // want `\(errors.New\) crosses the HTTP boundary`
}

func (api) handle(w http.ResponseWriter, r *http.Request) {
	errcode.WriteHTTPError(w, errors.New("x")) // want `\(errors.New\) crosses the HTTP boundary`
}

// notHandler has other parameters.
func notHandler(w http.ResponseWriter, r http.Request) {
	errcode.WriteHTTPError(w, errors.New("x"))
}

func routes(mux *http.ServeMux) {
	mux.HandleFunc("/lit", func(w http.ResponseWriter, r *http.Request) {
		errcode.WriteHTTPError(w, errors.New("x")) // want `\(errors.New\) crosses the HTTP boundary`
		defer func() {
			errcode.WriteHTTPError(w, errors.New("x")) // want `\(errors.New\) crosses the HTTP boundary`
		}()
	})
	// Not inside a handler.
	errcode.WriteHTTPError(nil, errors.New("x"))
}

var handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	err := errors.New("x")
	errcode.WriteHTTPError(w, err) // want `\(err, from errors.New\) crosses the HTTP boundary`
})

func nested(w http.ResponseWriter, r *http.Request) {
	// A handler inside a handler: the call is reported once.
	http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		errcode.WriteHTTPError(w, errors.New("x")) // want `\(errors.New\) crosses the HTTP boundary`
	}).ServeHTTP(w, r)
}
