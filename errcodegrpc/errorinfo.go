package errcodegrpc

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/anypb"
	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/errcode/errcode"
)

// The metadata keys of the google.rpc.ErrorInfo the server interceptors
// send. A Safe field under one of these keys is left out.
const (
	// MetadataCode is the outermost code's name.
	MetadataCode = "code"
	// MetadataAncestors is its ancestors' names, parent first,
	// space-separated.
	MetadataAncestors = "ancestors"
	// MetadataRetry is the error's retry decision: "transient",
	// "permanent" or "unspecified".
	MetadataRetry = "retry"
	// MetadataDropped lists, space-separated, what the server left out to
	// fit the trailer budget; absent when nothing was. See the package
	// documentation.
	MetadataDropped = "dropped"
)

var (
	errorInfoName = string((&errdetails.ErrorInfo{}).ProtoReflect().Descriptor().FullName())
	retryInfoName = string((&errdetails.RetryInfo{}).ProtoReflect().Descriptor().FullName())
	errorInfoURL  = "type.googleapis.com/" + errorInfoName
	retryInfoURL  = "type.googleapis.com/" + retryInfoName
)

// errorInfo is what the ErrorInfo of an error is made of.
type errorInfo struct {
	reason, domain string
	code           string // "" for an error without a code: no ErrorInfo
	ancestors      string
	retry          string
	safe           [][2]string // Safe fields with valid keys, sorted by key
}

// newErrorInfo returns the ErrorInfo of err: that of its outermost code,
// with the registry r's domain and err's Safe fields.
func newErrorInfo(err error, r *errcode.Registry) errorInfo {
	info := errorInfo{code: errcode.NameOf(err)}
	if info.code == "" {
		return info
	}
	info.reason = errcode.ReasonOf(err)
	info.domain = r.Domain()
	info.ancestors = strings.Join(errcode.AncestorNamesOf(err), " ")
	info.retry = errcode.RetryOf(err).String()
	for k, v := range errcode.SafeFields(err) {
		if validMetadataKey(k) {
			info.safe = append(info.safe, [2]string{k, metadataValue(v)})
		}
	}
	slices.SortFunc(info.safe, func(a, b [2]string) int { return strings.Compare(a[0], b[0]) })
	return info
}

// validMetadataKey reports whether k may be an ErrorInfo metadata key:
// AIP-193 asks for [a-z][a-zA-Z0-9-_]+ and at most 64 characters. The
// keys the interceptors write themselves are taken.
func validMetadataKey(k string) bool {
	if len(k) < 2 || len(k) > 64 || k[0] < 'a' || k[0] > 'z' {
		return false
	}
	for i := 1; i < len(k); i++ {
		c := k[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	switch k {
	case MetadataCode, MetadataAncestors, MetadataRetry, MetadataDropped:
		return false
	}
	return true
}

// metadataValue returns a field value as ErrorInfo metadata: a string as
// it is, anything else as fmt's %v prints it.
func metadataValue(v any) string {
	s, ok := v.(string)
	if !ok {
		s = fmt.Sprint(v)
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}

// detail returns the ErrorInfo as a status detail; withSafe says whether
// it carries the Safe fields, dropped what was left out ("" for nothing).
// nil for an error without a code.
func (info *errorInfo) detail(withSafe bool, dropped string) *anypb.Any {
	if info.code == "" {
		return nil
	}
	md := make(map[string]string, 4+len(info.safe))
	if withSafe {
		for _, kv := range info.safe {
			md[kv[0]] = kv[1]
		}
	}
	md[MetadataCode] = info.code
	md[MetadataAncestors] = info.ancestors
	md[MetadataRetry] = info.retry
	if dropped != "" {
		md[MetadataDropped] = dropped
	}
	return marshalAny(errorInfoURL, &errdetails.ErrorInfo{Reason: info.reason, Domain: info.domain, Metadata: md})
}

// retryInfo returns the RetryInfo of a transient error whose retry-after
// hint is d.
func retryInfo(d time.Duration) *anypb.Any {
	return marshalAny(retryInfoURL, &errdetails.RetryInfo{RetryDelay: durationpb.New(d)})
}

// marshalAny packs m deterministically (map keys sorted), so that the same
// error gives the same trailer.
func marshalAny(url string, m proto.Message) *anypb.Any {
	b, err := proto.MarshalOptions{Deterministic: true}.Marshal(m)
	if err != nil {
		return nil // not for these messages: all their strings are valid UTF-8
	}
	return &anypb.Any{TypeUrl: url, Value: b}
}

// isDetail reports whether d is a message of the full name name, whatever
// its type URL's host.
func isDetail(d *anypb.Any, name string) bool {
	u := d.GetTypeUrl()
	return strings.HasSuffix(u, "/"+name) || u == name
}
