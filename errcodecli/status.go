package errcodecli

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/errcode/errcode"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	spb "google.golang.org/genproto/googleapis/rpc/status"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/anypb"
)

// errcodeDetailName is the full name of the message in errcodegrpc's
// status detail (errcodegrpc.DetailTypeURL names it).
const errcodeDetailName = "cockroach.errorspb.EncodedError"

// statusInput returns the google.rpc.Status that data holds in base64, as
// gRPC's grpc-status-details-bin header carries it, and a description of
// the form; false when data is not that. Bytes that parse as protobuf
// count as a status only if every field is one of Status's, the code is
// one of gRPC's, and every detail has a type URL.
func statusInput(data []byte) (*spb.Status, string, bool) {
	raw, alphabet, err := decodeBase64(data)
	if err != nil || len(raw) == 0 {
		return nil, "", false
	}
	var st spb.Status
	if err := proto.Unmarshal(raw, &st); err != nil {
		return nil, "", false
	}
	if len(st.ProtoReflect().GetUnknown()) > 0 || st.GetCode() < 0 || st.GetCode() > int32(codes.Unauthenticated) {
		return nil, "", false
	}
	for _, d := range st.GetDetails() {
		if d.GetTypeUrl() == "" || len(d.ProtoReflect().GetUnknown()) > 0 {
			return nil, "", false
		}
	}
	return &st, "google.rpc.Status in base64 (" + alphabet + "), as in grpc-status-details-bin", true
}

// isErrcodeDetail reports whether d is errcodegrpc's detail: any type URL
// whose last segment is the EncodedError's name.
func isErrcodeDetail(d *anypb.Any) bool {
	url := d.GetTypeUrl()
	return url == errcodeDetailName || strings.HasSuffix(url, "/"+errcodeDetailName)
}

// statusErrcodeDetail returns the error of st's first errcode detail.
func statusErrcodeDetail(reg *errcode.Registry, st *spb.Status) (error, error) {
	for _, d := range st.GetDetails() {
		if isErrcodeDetail(d) {
			return reg.Decode(d.GetValue())
		}
	}
	return nil, errors.New("the status carries no errcode detail: --json prints errcode's JSON form of one")
}

// writeStatus writes the human-readable description of st: its code,
// message and each detail — errcode's decoded as for an encoded error,
// ErrorInfo, RetryInfo and BadRequest field by field, others by type.
func writeStatus(out *bytes.Buffer, reg *errcode.Registry, st *spb.Status, form string) {
	field := func(label, value string) { fmt.Fprintf(out, "%-13s%s\n", label+":", value) }
	sub := func(label, value string) { fmt.Fprintf(out, "  %-11s%s\n", label+":", value) }

	field("form", form)
	field("status", fmt.Sprintf("%s (%d)", codes.Code(st.GetCode()), st.GetCode()))
	field("message", escapeLines(st.GetMessage()))
	field("details", fmt.Sprint(len(st.GetDetails())))
	for i, d := range st.GetDetails() {
		label := fmt.Sprintf("detail %d", i+1)
		if isErrcodeDetail(d) {
			field(label, fmt.Sprintf("errcode error (%s, %d bytes)", errcodeDetailName, len(d.GetValue())))
			decoded, err := reg.Decode(d.GetValue())
			if err != nil {
				sub("invalid", reason(err))
				continue
			}
			var inner bytes.Buffer
			writeDecoded(&inner, reg, decoded, "")
			text := strings.TrimSuffix(inner.String(), "\n")
			_, text, _ = strings.Cut(text, "\n") // the form line
			for _, l := range strings.Split(text, "\n") {
				if l == "" {
					out.WriteString("\n")
					continue
				}
				out.WriteString("  " + l + "\n")
			}
			continue
		}
		m, err := d.UnmarshalNew()
		if err != nil {
			field(label, fmt.Sprintf("%s (%d bytes; a type this build does not read)", escapeLines(d.GetTypeUrl()), len(d.GetValue())))
			continue
		}
		field(label, string(m.ProtoReflect().Descriptor().FullName()))
		switch m := m.(type) {
		case *errdetails.ErrorInfo:
			sub("reason", escapeLines(m.GetReason()))
			sub("domain", escapeLines(m.GetDomain()))
			keys := make([]string, 0, len(m.GetMetadata()))
			for k := range m.GetMetadata() {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			for _, k := range keys {
				sub("metadata", escapeLines(k)+"="+escapeLines(m.GetMetadata()[k]))
			}
			sub("names", errorInfoCode(reg, m))
		case *errdetails.RetryInfo:
			if err := m.GetRetryDelay().CheckValid(); err != nil {
				sub("delay", "invalid: "+err.Error())
			} else {
				sub("delay", m.GetRetryDelay().AsDuration().String())
			}
		case *errdetails.BadRequest:
			for _, v := range m.GetFieldViolations() {
				sub("violation", escapeLines(v.GetField())+": "+escapeLines(v.GetDescription()))
			}
		}
	}
}

// errorInfoCode says which code of reg info names, as errcodegrpc's
// client interceptors read it: by its reason in reg's domain, else by
// metadata["code"].
func errorInfoCode(reg *errcode.Registry, info *errdetails.ErrorInfo) string {
	if info.GetDomain() == reg.Domain() {
		if c, ok := reg.LookupReason(info.GetReason()); ok {
			return c.Name() + " (by its reason)"
		}
	}
	if name, ok := info.GetMetadata()["code"]; ok {
		if c, ok := reg.Lookup(name); ok {
			return c.Name() + " (by metadata code)"
		}
		return "no code: metadata code " + escapeLines(name) + " is not in this build"
	}
	return "no code of this build"
}
