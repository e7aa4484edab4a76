package errcode

import (
	"errors"
	"fmt"
	"reflect"
)

// errorTypeOther is OpenTelemetry's error.type for a value outside the
// known set (semconv's ErrorTypeOther): what an error gives whose code
// this process knows neither by name nor by any ancestor, so that a
// peer's invented names never become metric labels.
const errorTypeOther = "_OTHER"

// ErrorType returns the value of OpenTelemetry's error.type attribute for
// c returned as an error: c's name or, for a code known only from the
// wire, the name of its nearest ancestor this process knows; "_OTHER"
// when it knows none, and for the zero Code. semconv.ErrorType
// (go.opentelemetry.io/otel/semconv, v1.37.0 on) asks an error for this
// method, so that errcode's errors are labelled by code, not by Go type.
//
//	semconv.ErrorType(errcode.VmCapacityError) // error.type=VmCapacityError
func (c Code) ErrorType() string {
	if k := c.c.known(); k != nil {
		return k.name
	}
	return errorTypeOther
}

// ErrorType returns the name of [CodeOf] of the layer: its code, its
// code's nearest known ancestor, or the code further in when it knows
// none; "_OTHER" when there is no code it knows.
func (e *codedErr) ErrorType() string {
	if k := codeOf(e); k != nil {
		return k.name
	}
	return errorTypeOther
}

// ErrorType returns what semconv.ErrorType gives for the error the layer
// wraps: adding fields does not change error.type.
func (w *withFields) ErrorType() string { return causeErrorType(w.cause) }

// ErrorType returns what semconv.ErrorType gives for the error the layer
// wraps: a retry override does not change error.type.
func (w *withRetry) ErrorType() string { return causeErrorType(w.cause) }

// ErrorType returns what semconv.ErrorType gives for the error the layer
// wraps: a retry-after hint does not change error.type.
func (w *withRetryAfter) ErrorType() string { return causeErrorType(w.cause) }

// causeErrorType returns the error.type that semconv.ErrorType (v1.40.0
// on) gives cause: the ErrorType of the first error in its chain that
// errors.As finds with that method, or, when there is none or it returns
// "", the name of cause's Go type after fmt.Errorf's %w wrappers. A
// layer that adds no code answers with it, since semconv takes the first
// ErrorType method it finds and looks no further when that method
// returns "" — which would label the error with the layer's own type.
func causeErrorType(cause error) string {
	var et interface{ ErrorType() string }
	if errors.As(cause, &et) {
		if s := et.ErrorType(); s != "" {
			return s
		}
	}
	t := reflect.TypeOf(unwrapFmtWrapped(cause))
	if t.PkgPath() != "" && t.Name() != "" {
		return t.PkgPath() + "." + t.Name()
	}
	return t.String()
}

var fmtWrapErrorType = reflect.TypeOf(fmt.Errorf("%w", errors.New("")))

// unwrapFmtWrapped returns err without its outer fmt.Errorf wrappers of
// one cause, as semconv does before naming err's type.
func unwrapFmtWrapped(err error) error {
	for reflect.TypeOf(err) == fmtWrapErrorType {
		u := errors.Unwrap(err)
		if u == nil {
			return err
		}
		err = u
	}
	return err
}
