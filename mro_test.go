package errcode_test

import (
	"context"
	stderrors "errors"
	"strings"
	"testing"
	"time"

	crdberrors "github.com/cockroachdb/errors"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"

	"github.com/errcode/errcode"
)

// A Python peer's class with several bases sends its method-resolution
// order (__mro__[1:] without BaseException, Exception and object) as
// ancestors and its bases as parents:
//
//	class SocketTransientError(TransientError, CommunicationError): ...
const socketTransientJSON = `{"version": 1, "chain": [{"code": "SocketTransientError",
	"ancestors": ["TransientError", "CommunicationError", "SandboxError"],
	"parents": ["TransientError", "CommunicationError"],
	"message": "socket reset"}]}`

// pythonLayer returns a JSON document of one coded layer, as a Python
// peer writes it, for the code name with the given MRO, bases and retry.
func pythonLayer(name string, ancestors, parents []string, retry string) string {
	q := func(names []string) string {
		if len(names) == 0 {
			return "[]"
		}
		return `["` + strings.Join(names, `", "`) + `"]`
	}
	s := `{"version": 1, "chain": [{"code": "` + name + `", "ancestors": ` + q(ancestors)
	if parents != nil {
		s += `, "parents": ` + q(parents)
	}
	if retry != "" {
		s += `, "retry": "` + retry + `"`
	}
	return s + `, "message": "boom"}]}`
}

// bothForms returns the error a Go receiver decodes from the JSON
// document give, and from the protobuf form that the document, decoded
// and encoded again, makes.
func bothForms(t *testing.T, give string) map[string]error {
	t.Helper()
	fromJSON, err := errcode.DecodeJSON([]byte(give))
	require.NoError(t, err, "DecodeJSON")
	b, err := errcode.Encode(fromJSON)
	require.NoError(t, err, "Encode")
	fromProto, err := errcode.Decode(b)
	require.NoError(t, err, "Decode")
	return map[string]error{"json": fromJSON, "protobuf": fromProto}
}

// TestMultipleInheritanceQueries decodes wire-only codes whose senders
// put them under several ancestries, in both forms, and asks every
// question: Is (errcode's, the standard library's, cockroachdb's) and
// Match for every catalog code, CodeOf, AncestorNamesOf, and the
// settings that resolve by the method-resolution order.
func TestMultipleInheritanceQueries(t *testing.T) {
	t.Parallel()
	tests := []struct {
		desc          string
		give          string
		wantIs        []string // the catalog codes Is answers true for
		wantCodeOf    errcode.Code
		wantAncestors []string
		wantRetry     errcode.Retry
		wantGRPC      codes.Code
		wantHTTP      int
		wantAfter     time.Duration
	}{
		{
			desc:          "SocketTransientError(TransientError, CommunicationError)",
			give:          socketTransientJSON,
			wantIs:        []string{"SandboxError", "TransientError", "CommunicationError"},
			wantCodeOf:    errcode.TransientError,
			wantAncestors: []string{"TransientError", "CommunicationError", "SandboxError"},
			wantRetry:     errcode.Transient, wantGRPC: codes.Unavailable, wantHTTP: 503,
		},
		{
			desc: "bases the other way round: CommunicationError's HTTP status comes first",
			give: pythonLayer("X", []string{"CommunicationError", "TransientError", "SandboxError"},
				[]string{"CommunicationError", "TransientError"}, ""),
			wantIs:        []string{"SandboxError", "TransientError", "CommunicationError"},
			wantCodeOf:    errcode.CommunicationError,
			wantAncestors: []string{"CommunicationError", "TransientError", "SandboxError"},
			wantRetry:     errcode.Transient, wantGRPC: codes.Unavailable, wantHTTP: 502,
		},
		{
			desc: "X(PermanentError, TransientError): the first base decides",
			give: pythonLayer("X", []string{"PermanentError", "TransientError", "SandboxError"},
				[]string{"PermanentError", "TransientError"}, ""),
			wantIs:     []string{"SandboxError", "TransientError", "PermanentError"},
			wantCodeOf: errcode.PermanentError, wantAncestors: []string{"PermanentError", "TransientError", "SandboxError"},
			wantRetry: errcode.Permanent, wantGRPC: codes.Internal, wantHTTP: 500,
		},
		{
			desc: "X(TransientError, PermanentError)",
			give: pythonLayer("X", []string{"TransientError", "PermanentError", "SandboxError"},
				[]string{"TransientError", "PermanentError"}, ""),
			wantIs:     []string{"SandboxError", "TransientError", "PermanentError"},
			wantCodeOf: errcode.TransientError, wantAncestors: []string{"TransientError", "PermanentError", "SandboxError"},
			wantRetry: errcode.Transient, wantGRPC: codes.Unavailable, wantHTTP: 503,
		},
		{
			desc: "the sender's own retry decision wins over the first base's",
			give: pythonLayer("X", []string{"TransientError", "PermanentError", "SandboxError"},
				[]string{"TransientError", "PermanentError"}, "permanent"),
			wantIs:     []string{"SandboxError", "TransientError", "PermanentError"},
			wantCodeOf: errcode.TransientError, wantAncestors: []string{"TransientError", "PermanentError", "SandboxError"},
			wantRetry: errcode.Permanent, wantGRPC: codes.Unavailable, wantHTTP: 503,
		},
		{
			desc: "X(SocketAuthError, TransientError): each setting from the first class that sets it",
			give: pythonLayer("X", []string{"SocketAuthError", "CommunicationError", "TransientError", "SandboxError"},
				[]string{"SocketAuthError", "TransientError"}, ""),
			wantIs:        []string{"SandboxError", "TransientError", "CommunicationError", "SocketAuthError"},
			wantCodeOf:    errcode.SocketAuthError,
			wantAncestors: []string{"SocketAuthError", "CommunicationError", "TransientError", "SandboxError"},
			wantRetry:     errcode.Transient, wantGRPC: codes.Internal, wantHTTP: 500,
		},
		{
			desc: "X(CommunicationError, VmCapacityError): the code's retry-after from the second base",
			give: pythonLayer("X", []string{"CommunicationError", "VmCapacityError", "VmTransientError", "TransientError", "SandboxError"},
				[]string{"CommunicationError", "VmCapacityError"}, ""),
			wantIs:        []string{"SandboxError", "TransientError", "VmTransientError", "VmCapacityError", "CommunicationError"},
			wantCodeOf:    errcode.CommunicationError,
			wantAncestors: []string{"CommunicationError", "VmCapacityError", "VmTransientError", "TransientError", "SandboxError"},
			wantRetry:     errcode.Transient, wantGRPC: codes.Unavailable, wantHTTP: 502, wantAfter: time.Second,
		},
		{
			desc: "a class the receiver lacks in the MRO sets nothing; the next known one does",
			give: pythonLayer("X", []string{"PoolError", "AssetNotFoundError", "AssetError", "CommunicationError", "SandboxError"},
				[]string{"PoolError", "CommunicationError"}, ""),
			wantIs:        []string{"SandboxError", "AssetError", "AssetNotFoundError", "CommunicationError"},
			wantCodeOf:    errcode.AssetNotFoundError,
			wantAncestors: []string{"PoolError", "AssetNotFoundError", "AssetError", "CommunicationError", "SandboxError"},
			wantRetry:     errcode.Unspecified, wantGRPC: codes.NotFound, wantHTTP: 404,
		},
		{
			// The receiver adds, right after each name it knows, its
			// ancestors that the sender did not list: VmCapacityError's
			// VmTransientError and TransientError come before
			// CommunicationError.
			desc:       "ancestors the sender left out are the receiver's",
			give:       pythonLayer("X", []string{"VmCapacityError", "CommunicationError"}, []string{"VmCapacityError", "CommunicationError"}, ""),
			wantIs:     []string{"SandboxError", "TransientError", "VmTransientError", "VmCapacityError", "CommunicationError"},
			wantCodeOf: errcode.VmCapacityError, wantAncestors: []string{"VmCapacityError", "CommunicationError"},
			wantRetry: errcode.Transient, wantGRPC: codes.Unavailable, wantHTTP: 503, wantAfter: time.Second,
		},
		{
			desc:       "without parents (an older sender): the same answers from ancestors alone",
			give:       pythonLayer("X", []string{"CommunicationError", "TransientError", "SandboxError"}, nil, ""),
			wantIs:     []string{"SandboxError", "TransientError", "CommunicationError"},
			wantCodeOf: errcode.CommunicationError, wantAncestors: []string{"CommunicationError", "TransientError", "SandboxError"},
			wantRetry: errcode.Transient, wantGRPC: codes.Unavailable, wantHTTP: 502,
		},
	}
	for _, tt := range tests {
		for form, err := range bothForms(t, tt.give) {
			t.Run(tt.desc+"/"+form, func(t *testing.T) {
				t.Parallel()
				for _, row := range catalogTable {
					want := false
					for _, n := range tt.wantIs {
						want = want || n == row.name
					}
					assert.Equal(t, want, errcode.Is(err, row.code), "Is(err, %s)", row.name)
					assert.Equal(t, want, stderrors.Is(err, row.code), "errors.Is(err, %s)", row.name)
					assert.Equal(t, want, crdberrors.Is(err, row.code), "cockroachdb errors.Is(err, %s)", row.name)
					got, ok := errcode.Match(err, row.code)
					assert.Equal(t, want, ok, "Match(err, %s)", row.name)
					if want {
						assert.Equal(t, row.code, got, "Match(err, %s)", row.name)
					}
				}
				assert.Equal(t, tt.wantCodeOf, errcode.CodeOf(err), "CodeOf")
				assert.Equal(t, tt.wantAncestors, errcode.AncestorNamesOf(err), "AncestorNamesOf: as sent")
				assert.Equal(t, tt.wantRetry, errcode.RetryOf(err), "RetryOf")
				assert.Equal(t, tt.wantGRPC, errcode.GRPCCodeOf(err), "GRPCCodeOf")
				assert.Equal(t, tt.wantHTTP, errcode.HTTPStatusOf(err), "HTTPStatusOf")
				assert.Equal(t, tt.wantAfter, errcode.RetryAfterOf(err), "RetryAfterOf")
				assert.Contains(t, tt.give, `"code": "`+errcode.NameOf(err)+`"`, "NameOf: as sent")
			})
		}
	}
}

// TestMultipleInheritanceMatch checks that Match picks, among candidates
// from several ancestries, the deepest, the earlier one on a tie.
func TestMultipleInheritanceMatch(t *testing.T) {
	t.Parallel()
	for form, err := range bothForms(t, pythonLayer("X", []string{"SocketAuthError", "CommunicationError", "TransientError", "SandboxError"},
		[]string{"SocketAuthError", "TransientError"}, "")) {
		tests := []struct {
			give []errcode.Code
			want errcode.Code
		}{
			{[]errcode.Code{errcode.TransientError, errcode.SocketAuthError}, errcode.SocketAuthError},
			{[]errcode.Code{errcode.CommunicationError, errcode.TransientError}, errcode.CommunicationError},
			{[]errcode.Code{errcode.TransientError, errcode.CommunicationError}, errcode.TransientError},
			{[]errcode.Code{errcode.SandboxError, errcode.TransientError, errcode.VmTransientError}, errcode.TransientError},
			{[]errcode.Code{errcode.PermanentError, errcode.VmTransientError}, errcode.Code{}},
		}
		for _, tt := range tests {
			got, ok := errcode.Match(err, tt.give...)
			assert.Equal(t, tt.want, got, "%s: Match(%v) = %v; want %v", form, tt.give, got, tt.want)
			assert.Equal(t, !tt.want.IsZero(), ok, "%s: Match(%v) ok", form, tt.give)
		}
	}
}

// TestMultipleInheritanceCode asks a bare wire-only Code (a sentinel
// layer, which errors.As sets as it came) for its own ancestry and the
// codes whose settings it takes.
func TestMultipleInheritanceCode(t *testing.T) {
	t.Parallel()
	give := `{"version": 1, "chain": [{"kind": "sentinel", "code": "X",
		"ancestors": ["CommunicationError", "VmCapacityError", "TransientError", "SandboxError"],
		"parents": ["CommunicationError", "VmCapacityError"]}]}`
	for form, err := range bothForms(t, give) {
		var c errcode.Code
		require.True(t, stderrors.As(err, &c), "%s: errors.As", form)
		require.Equal(t, "X", c.Name(), form)
		assert.Nil(t, c.Registry(), "%s: Registry", form)
		assert.Equal(t, errcode.CommunicationError, c.Parent(), "%s: Parent: the first known", form)
		assert.Equal(t, []string{"CommunicationError", "VmCapacityError", "VmTransientError", "TransientError", "SandboxError"},
			codeNames(c.Ancestors()), "%s: Ancestors: the known MRO", form)
		for _, a := range append(c.Ancestors(), c) {
			assert.True(t, c.IsA(a), "%s: IsA(%s)", form, a)
		}
		for _, a := range []errcode.Code{errcode.PermanentError, errcode.VmBootTimeoutError, errcode.SocketAuthError, {}} {
			assert.False(t, c.IsA(a), "%s: IsA(%s)", form, a)
		}
		assert.False(t, errcode.CommunicationError.IsA(c), "%s: an ancestor is not a descendant", form)
		assert.Equal(t, errcode.Transient, c.Retry(), form)
		assert.Equal(t, errcode.TransientError, c.RetryFrom(), "%s: RetryFrom", form)
		g, ok := c.GRPCCode()
		assert.True(t, ok)
		assert.Equal(t, codes.Unavailable, g, form)
		assert.Equal(t, errcode.CommunicationError, c.GRPCCodeFrom(), "%s: GRPCCodeFrom", form)
		h, _ := c.HTTPStatus()
		assert.Equal(t, 502, h, form)
		assert.Equal(t, errcode.CommunicationError, c.HTTPStatusFrom(), "%s: HTTPStatusFrom", form)
		assert.Equal(t, time.Second, c.RetryAfter(), form)
		assert.Equal(t, errcode.VmCapacityError, c.RetryAfterFrom(), "%s: RetryAfterFrom", form)
	}
}

// TestMultipleInheritanceAncestors checks a wire-only code's
// Ancestors: the known part of its method-resolution order, each code
// once — the ancestors sent that the registry knows, each followed by
// its ancestors in the registry that were not sent.
func TestMultipleInheritanceAncestors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		desc string
		give []string
		want []string
	}{
		{"SocketTransientError", []string{"TransientError", "CommunicationError", "SandboxError"},
			[]string{"TransientError", "CommunicationError", "SandboxError"}},
		{"ancestors not sent follow the code they belong to", []string{"VmCapacityError", "CommunicationError"},
			[]string{"VmCapacityError", "VmTransientError", "TransientError", "SandboxError", "CommunicationError"}},
		{"a code sent twice", []string{"TransientError", "CommunicationError", "TransientError", "SandboxError"},
			[]string{"TransientError", "CommunicationError", "SandboxError"}},
		{"a code sent twice, a descendant between", []string{"TransientError", "VmTransientError", "TransientError", "SandboxError"},
			[]string{"TransientError", "VmTransientError", "SandboxError"}},
		{"a code sent under an alias and its name", []string{"VmBootError", "CommunicationError", "VmTransientError", "TransientError", "SandboxError"},
			[]string{"VmTransientError", "CommunicationError", "TransientError", "SandboxError"}},
		{"one chain, root first", []string{"SandboxError", "TransientError"},
			[]string{"SandboxError", "TransientError"}},
		{"names the registry lacks", []string{"PoolError", "AssetNotFoundError", "OtherError", "PermanentError"},
			[]string{"AssetNotFoundError", "AssetError", "SandboxError", "PermanentError"}},
		{"one chain, nearest first: the registry's ancestry", []string{"NewError", "VmTransientError", "SandboxError"},
			[]string{"VmTransientError", "TransientError", "SandboxError"}},
	}
	for _, tt := range tests {
		give := `{"version": 1, "chain": [{"kind": "sentinel", "code": "X", "ancestors": ["` + strings.Join(tt.give, `", "`) + `"]}]}`
		for form, err := range bothForms(t, give) {
			var c errcode.Code
			require.True(t, stderrors.As(err, &c), "%s: errors.As", form)
			got := codeNames(c.Ancestors())
			assert.Equal(t, tt.want, got, "%s/%s: Ancestors() = %v; want %v", tt.desc, form, got, tt.want)
			for _, a := range c.Ancestors() {
				assert.True(t, c.IsA(a), "%s/%s: IsA(%s)", tt.desc, form, a)
				assert.True(t, errcode.Is(err, a), "%s/%s: Is(err, %s)", tt.desc, form, a)
			}
			assert.Equal(t, tt.give, errcode.AncestorNamesOf(err), "%s/%s: AncestorNamesOf: as sent", tt.desc, form)
		}
	}
}

// TestParentsReencode checks that a code decoded with parents encodes
// again to the bytes it came with, in both forms and over three hops,
// also when the receiver knows the code (its registry is the authority,
// and the parents are kept only to be sent on). A bare Code the receiver
// knows is its registry's Code, and travels on as such, without them.
func TestParentsReencode(t *testing.T) {
	t.Parallel()
	known := errcode.NewRegistry()
	root := known.MustRegister("SandboxError", errcode.Code{})
	transient := known.MustRegister("TransientError", root, errcode.Transient)
	comm := known.MustRegister("CommunicationError", root)
	socket := known.MustRegister("SocketTransientError", transient)
	sentinel := strings.Replace(socketTransientJSON, `"message": "socket reset"`, `"kind": "sentinel"`, 1)

	for _, tt := range []struct {
		desc string
		reg  *errcode.Registry
		give string
	}{
		{"wire-only coded layer", errcode.Default, socketTransientJSON},
		{"wire-only bare code", errcode.Default, sentinel},
		{"known coded layer", known, socketTransientJSON},
	} {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			first, err := tt.reg.DecodeJSON([]byte(tt.give))
			require.NoError(t, err)
			j1, err := errcode.EncodeJSON(first)
			require.NoError(t, err)
			assert.Contains(t, string(j1), `"ancestors":["TransientError","CommunicationError","SandboxError"],"parents":["TransientError","CommunicationError"]`)
			p1, err := errcode.Encode(first)
			require.NoError(t, err)

			e := first
			for hop := 2; hop <= 3; hop++ {
				fromJSON, err := tt.reg.DecodeJSON(j1)
				require.NoError(t, err)
				fromProto, err := tt.reg.Decode(p1)
				require.NoError(t, err)
				for form, got := range map[string]error{"json": fromJSON, "protobuf": fromProto} {
					j, err := errcode.EncodeJSON(got)
					require.NoError(t, err)
					assert.Equal(t, string(j1), string(j), "hop %d from %s: JSON form", hop, form)
					p, err := errcode.Encode(got)
					require.NoError(t, err)
					assert.Equal(t, p1, p, "hop %d from %s: protobuf form", hop, form)
				}
				e = fromProto
			}

			details := crdberrors.GetAllSafeDetails(e)
			require.NotEmpty(t, details)
			got := details[0].SafeDetails
			require.GreaterOrEqual(t, len(got), 4, "%q", got)
			assert.Equal(t, []string{"code=SocketTransientError", "retry=unspecified",
				"ancestors=TransientError CommunicationError SandboxError", "parents=TransientError CommunicationError"}, got[:4])

			if tt.reg == known {
				assert.Equal(t, socket, errcode.CodeOf(e), "CodeOf: the registry's code")
				assert.False(t, errcode.Is(e, comm), "Is(CommunicationError): the registry is the authority")
				assert.Equal(t, []string{"TransientError", "SandboxError"}, errcode.AncestorNamesOf(e), "AncestorNamesOf: the registry's")
				assert.Equal(t, errcode.Transient, errcode.RetryOf(e))
			} else {
				assert.True(t, errcode.Is(e, errcode.CommunicationError), "Is(CommunicationError)")
				assert.True(t, errcode.Is(e, errcode.TransientError), "Is(TransientError)")
			}
		})
	}
}

// TestGoSendersSendNoParents checks that a Go-registered code, which has
// one parent, travels without parents: its bytes do not change.
func TestGoSendersSendNoParents(t *testing.T) {
	t.Parallel()
	for _, row := range catalogTable {
		for _, err := range []error{row.code.New("x"), row.code} {
			j, jerr := errcode.EncodeJSON(err)
			require.NoError(t, jerr)
			assert.NotContains(t, string(j), `"parents"`, "%s", row.name)
			b, perr := errcode.Encode(err)
			require.NoError(t, perr)
			assert.NotContains(t, string(b), "parents=", "%s", row.name)
		}
	}
}

// TestParentsRefused checks that parents that cannot be a C3
// method-resolution order's bases are refused, in both forms, with an
// error that names the code and what is wrong.
func TestParentsRefused(t *testing.T) {
	t.Parallel()
	anc := []string{"A", "B", "C"}
	tests := []struct {
		desc      string
		ancestors []string
		parents   []string
		wantErr   string
	}{
		{"parent not among ancestors", anc, []string{"A", "D"}, `code "X": parent "D" is not among its ancestors`},
		{"parent listed twice", anc, []string{"A", "B", "B"}, `code "X": parent "B" is listed twice`},
		{"first parent listed twice", anc, []string{"A", "A"}, `code "X": parent "A" is listed twice`},
		{"parents out of the ancestors' order", anc, []string{"A", "C", "B"}, `code "X": parent "B" comes before parent "C" in its ancestors`},
		{"first parent not the first ancestor", anc, []string{"B", "C"}, `code "X": its first parent "B" is not its first ancestor "A"`},
		{"empty parents", anc, []string{}, `code "X": parents sent without a name`},
		{"parents without ancestors", nil, []string{"A", "B"}, `code "X": parent "A" is not among its ancestors`},
		{"valid", anc, []string{"A", "C"}, ""},
		{"one parent", anc, []string{"A"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			var ancDetail string
			if tt.ancestors != nil {
				ancDetail = "ancestors=" + strings.Join(tt.ancestors, " ")
			}
			details := []string{"code=X", "retry=unspecified", ancDetail, "parents=" + strings.Join(tt.parents, " ")}
			payloads := map[string]func() (error, error){
				"json": func() (error, error) {
					e, err := errcode.DecodeJSON([]byte(pythonLayer("X", tt.ancestors, tt.parents, "")))
					return e, err
				},
				"protobuf": func() (error, error) { return decodeDetails(t, details) },
			}
			for form, decode := range payloads {
				got, err := decode()
				if tt.wantErr == "" {
					require.NoError(t, err, form)
					assert.Equal(t, "X", errcode.NameOf(got), form)
					continue
				}
				require.Error(t, err, form)
				assert.Contains(t, err.Error(), tt.wantErr, form)
				assert.Nil(t, got, form)
			}
		})
	}
}

// TestParentsRefusedNames checks names in parents as ancestors' are
// checked, and parents sent without a code.
func TestParentsRefusedNames(t *testing.T) {
	t.Parallel()
	tests := []struct {
		desc         string
		give         string
		details      []string // the same, in the protobuf form
		wantErr      string
		wantProtoErr string
	}{
		{"empty parent name", `{"version":1,"chain":[{"code":"X","ancestors":["A"],"parents":["A",""]}]}`, nil, `code "X": errcode: empty parent name`, ""},
		{"parent name with a space", `{"version":1,"chain":[{"code":"X","ancestors":["A"],"parents":["A","B C"]}]}`, nil, `parent name "B C" contains whitespace`, ""},
		{"parent name too long", `{"version":1,"chain":[{"code":"X","parents":["` + strings.Repeat("p", errcode.MaxNameLen+1) + `"]}]}`, nil, "parent name", ""},
		{"parents a string", `{"version":1,"chain":[{"code":"X","ancestors":["A"],"parents":"A"}]}`, nil, "parents", ""},
		{"too many parents", `{"version":1,"chain":[{"code":"X","ancestors":["A"],"parents":[` +
			strings.TrimSuffix(strings.Repeat(`"A",`, errcode.MaxDepth+1), ",") + `]}]}`, nil, `code "X" has 129 parents, over MaxDepth`, ""},
		{"parents without a code", `{"version":1,"chain":[{"kind":"coded","parents":["A","B"],"message":"x"}]}`,
			[]string{"parents=A B"}, "empty code name", "parents but no code name"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			got, err := errcode.DecodeJSON([]byte(tt.give))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
			assert.Nil(t, got)
			if tt.details != nil {
				got, err := decodeDetails(t, tt.details)
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantProtoErr)
				assert.Nil(t, got)
			}
		})
	}
}

// decodeDetails decodes the protobuf form of a coded leaf whose safe
// details are details.
func decodeDetails(t *testing.T, details []string) (error, error) {
	t.Helper()
	enc := crdberrors.EncodeError(context.Background(), errcode.SandboxError.New("x"))
	enc.GetLeaf().Details.ReportablePayload = details
	b, err := enc.Marshal()
	require.NoError(t, err)
	return errcode.Decode(b)
}
