package errcode_test

import (
	stderrors "errors"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/errcode/errcode"
)

// joinOfCodes returns a registry of its own and a join of one stackless
// error of each of k distinct codes of it, each with message msg.
func joinOfCodes(t *testing.T, k int, msg string) (*errcode.Registry, error) {
	t.Helper()
	r := errcode.NewRegistry()
	errs := make([]error, k)
	for i := range errs {
		c, err := r.Register(fmt.Sprintf("C%d", i), errcode.Code{}, errcode.Stackless())
		require.NoError(t, err)
		errs[i] = c.New(msg)
	}
	return r, stderrors.Join(errs...)
}

// TestEncodeJSONCountsCodesAsDecodeJSON: EncodeJSON, and the problem
// documents of WriteHTTPError, refuse an error naming more distinct codes
// than the code density allows for the size of the document, as
// DecodeJSON would refuse it; what they send, DecodeJSON accepts.
func TestEncodeJSONCountsCodesAsDecodeJSON(t *testing.T) {
	t.Parallel()
	tests := []struct {
		desc   string
		codes  int
		msg    string
		refuse bool
	}{
		// Some 75 bytes a layer with a one-byte message.
		{"16 codes, short messages", 16, "m", false},
		{"20 codes in 1.5 KiB: 17 allowed", 20, "m", true},
		{"20 codes in 6 KiB: 22 allowed", 20, strings.Repeat("m", 80), false},
		{"40 codes in 12 KiB: 28 allowed", 40, strings.Repeat("m", 80), true},
		{"40 codes in 85 KiB", 40, strings.Repeat("m", 700), false},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			r, orig := joinOfCodes(t, tt.codes, tt.msg)
			b, err := errcode.EncodeJSON(orig)
			if tt.refuse {
				require.Error(t, err)
				assert.Contains(t, err.Error(), "distinct codes, the most its")
				assert.Contains(t, err.Error(), "(16 + 1 per 1024 bytes)")

				rec := httptest.NewRecorder()
				errcode.WriteHTTPError(rec, orig)
				body := rec.Body.String()
				assert.Contains(t, body, "distinct codes", "the problem document stands in for the error, saying why")
				_, derr := r.DecodeJSON(rec.Body.Bytes())
				assert.NoError(t, derr, "what WriteHTTPError sends decodes")
				return
			}
			require.NoError(t, err)
			got, err := r.DecodeJSON(b)
			require.NoError(t, err)
			assert.Equal(t, orig.Error(), got.Error())
			for i := range tt.codes {
				c, ok := r.Lookup(fmt.Sprintf("C%d", i))
				require.True(t, ok)
				assert.True(t, errcode.Is(got, c), "C%d", i)
			}
		})
	}
}

// TestDecodeJSONNamesTheLayerPastTheCodeBudget: the refusal says which
// layer named the code past the budget.
func TestDecodeJSONNamesTheLayerPastTheCodeBudget(t *testing.T) {
	t.Parallel()
	causes := make([]string, 17)
	for i := range causes {
		causes[i] = fmt.Sprintf(`[{"code":"A%d"}]`, i)
	}
	doc := `{"version":1,"chain":[{"kind":"join","causes":[` + strings.Join(causes, ",") + `]}]}`
	_, err := errcode.DecodeJSON([]byte(doc))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "chain[0] (coded): the error names more than 16 distinct codes")
}
