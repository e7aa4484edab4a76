package testpeer

import (
	"time"

	"google.golang.org/grpc/codes"
)

// Answers is what the peer's error for a case answers, in the peer's own
// process: cmd/testpeer serves it as JSON at GET /answers/{case}, so
// that a client can check that what reached it answers the same.
type Answers struct {
	// Message is err.Error(), as bytes: JSON would make invalid UTF-8
	// valid.
	Message    []byte        `json:"message"`
	Name       string        `json:"name"`      // errcode.NameOf
	Ancestors  []string      `json:"ancestors"` // errcode.AncestorNamesOf
	Reason     string        `json:"reason"`    // errcode.ReasonOf
	Domain     string        `json:"domain"`    // the registry's domain
	Retry      string        `json:"retry"`     // errcode.RetryOf
	RetryAfter time.Duration `json:"retry_after"`
	GRPCCode   codes.Code    `json:"grpc_code"` // errcode.GRPCCodeOf
	HTTPStatus int           `json:"http_status"`
}
