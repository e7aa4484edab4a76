package errcodecli

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode"
	"unicode/utf8"

	// Linked for the decoders of cockroachdb's own wrappers (errors.Wrap's
	// prefix, hints, details...): without them such a layer decodes as an
	// opaque wrapper, and a prefix's message reads doubled.
	_ "github.com/cockroachdb/errors"
	"github.com/cockroachdb/errors/errbase"
	"github.com/errcode/errcode"
)

var decodeCmd = &command{
	name:    "decode",
	summary: "read an encoded error and print what it carries",
	help: `usage: errcode decode [--json] [FILE|-]

Decode reads one error that errcode encoded, from FILE, or from standard
input when FILE is absent or "-", and prints what it carries: its
message; its code as sent and whether this build knows it (if not, the
nearest ancestor it knows); the code's ancestors (from this build's
registry for a known code, as sent for an unknown one); the retry
decision and which layer decides it; the gRPC code and HTTP status; the
retry-after hint; the fields with their Go types; and the whole error as
%+v prints it, stack traces included. Code names bind to the registry
errcode runs over (the Default registry, for cmd/errcode), as its Decode
binds them.

The input is recognised by its form:

	JSON      errcode's JSON form (errcode.EncodeJSON, WIRE.md): the
	          first byte other than white space is '{'
	base64    the protobuf form in base64, standard or URL alphabet,
	          padded or not; white space and line breaks are ignored
	protobuf  the protobuf form as raw bytes (errcode.Encode)
	status    a google.rpc.Status in base64, either alphabet, padded or
	          not: a grpc-status-details-bin value as a proxy logs it.
	          Decode prints its code, message and each detail: an
	          errcode detail (errcodegrpc) decoded as above, ErrorInfo
	          (with the code it names), RetryInfo and BadRequest field
	          by field, any other by its type

Input larger than twice errcode.MaxEncodedSize (room for base64) is
refused unread.

Text from the input that a terminal could act on (ESC and CSI sequences,
BEL, carriage returns, other C0 and C1 controls, bidi overrides, bytes
that are not UTF-8) is printed escaped as Go quotes it: \x1b, \u202e;
with --json, as JSON escapes it: \u001b.

Flags:

	--json  print the decoded error in errcode's JSON form instead,
	        indented: errcode.EncodeJSON of what was decoded (for a
	        status, of its errcode detail)

Exit status:

	0  success
	1  FILE could not be read, or the output could not be made or written
	2  usage error, or the input is empty, too large or not an encoded
	   error (one line on standard error says why; nothing on standard
	   output)
`,
	run: runDecode,
}

// maxInput is the most decode reads: the largest encoded error, in
// base64 with room to spare for line breaks.
const maxInput = 2 * errcode.MaxEncodedSize

func runDecode(cmd *command, reg *errcode.Registry, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet(cmd.name, flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print JSON")
	pos, status, ok := parseFlags(cmd, fs, args, stdout, stderr)
	if !ok {
		return status
	}
	if len(pos) > 1 {
		usageError(cmd, stderr, "one input at a time, got %d", len(pos))
		return exitUsage
	}
	fail := func(status int, format string, args ...any) int {
		fmt.Fprintf(stderr, "errcode %s: %s\n", cmd.name, escapeTerminal(oneLine(fmt.Sprintf(format, args...))))
		return status
	}
	// Everything below prints text from the payload: escapeTerminal's
	// doc says why it is escaped.
	emitEscaped := func(out *bytes.Buffer, asJSON bool) int {
		s := out.String()
		if asJSON {
			s = escapeJSON(s)
		} else {
			s = escapeTerminal(s)
		}
		return emit(stdout, bytes.NewBufferString(s), stderr)
	}

	in, name := stdin, "standard input"
	if len(pos) == 1 && pos[0] != "-" {
		f, err := os.Open(pos[0])
		if err != nil {
			return fail(exitFailure, "%v", err)
		}
		defer f.Close()
		in, name = f, pos[0]
	}
	data, err := io.ReadAll(io.LimitReader(in, maxInput+1))
	switch {
	case err != nil:
		return fail(exitFailure, "reading %s: %v", name, err)
	case len(data) > maxInput:
		return fail(exitUsage, "input is larger than %d bytes (twice errcode.MaxEncodedSize, room for base64): too large for an encoded error", maxInput)
	case len(bytes.TrimSpace(data)) == 0:
		return fail(exitUsage, "empty input")
	}

	decoded, form, err := decodeInput(reg, data)
	var out bytes.Buffer
	if err != nil {
		st, stForm, ok := statusInput(data)
		if !ok {
			return fail(exitUsage, "%v", err)
		}
		if !*asJSON {
			writeStatus(&out, reg, st, stForm)
			return emitEscaped(&out, false)
		}
		if decoded, err = statusErrcodeDetail(reg, st); err != nil {
			return fail(exitUsage, "%v", err)
		}
	}
	if *asJSON {
		b, err := errcode.EncodeJSON(decoded)
		if err != nil {
			return fail(exitFailure, "%v", err)
		}
		if err := json.Indent(&out, b, "", "  "); err != nil {
			return fail(exitFailure, "%v", err)
		}
		out.WriteByte('\n')
	} else {
		writeDecoded(&out, reg, decoded, form)
	}
	return emitEscaped(&out, *asJSON)
}

// decodeInput decodes data, which is not empty, in whichever form it is:
// JSON when its first byte other than white space is '{'; else base64
// of the protobuf form when it decodes as base64; else the protobuf form.
// A form that fails falls back to raw protobuf. It returns the error, a
// description of its form, and, when no form fits, the reason the most
// plausible form gave.
func decodeInput(reg *errcode.Registry, data []byte) (_ error, form string, _ error) {
	text := looksLikeText(data)
	trimmed := bytes.TrimLeftFunc(data, unicode.IsSpace)
	if trimmed[0] == '{' {
		decoded, jerr := reg.DecodeJSON(data)
		if jerr == nil {
			return decoded, "JSON", nil
		}
		// Raw protobuf may start with a newline and '{' (a leaf of 123 bytes).
		if decoded, perr := reg.Decode(data); perr == nil {
			return decoded, "protobuf", nil
		} else if !text {
			return nil, "", fmt.Errorf("protobuf form: %s", reason(perr))
		}
		return nil, "", fmt.Errorf("JSON form: %s", reason(jerr))
	}

	raw, alphabet, berr := decodeBase64(data)
	if berr == nil {
		decoded, err := reg.Decode(raw)
		if err == nil {
			return decoded, "protobuf in base64 (" + alphabet + ")", nil
		}
		if decoded, perr := reg.Decode(data); perr == nil {
			return decoded, "protobuf", nil
		} else if !text {
			return nil, "", fmt.Errorf("protobuf form: %s", reason(perr))
		}
		return nil, "", fmt.Errorf("base64 form: decodes to %d bytes that are not an encoded error: %s", len(raw), reason(err))
	}
	decoded, perr := reg.Decode(data)
	switch {
	case perr == nil:
		return decoded, "protobuf", nil
	case text:
		return nil, "", fmt.Errorf("not JSON (no '{'), base64 (%v) or protobuf", berr)
	}
	return nil, "", fmt.Errorf("protobuf form: %s", reason(perr))
}

// decodeBase64 decodes data as base64 with white space removed: the URL
// alphabet when '-' or '_' occur, else the standard one; padding is
// optional. It returns the bytes and which alphabet it used.
func decodeBase64(data []byte) ([]byte, string, error) {
	s := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, string(data))
	if s == "" {
		return nil, "", errors.New("no base64 characters")
	}
	const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	enc, alphabet, chars := base64.RawStdEncoding, "standard", letters+"+/"
	if strings.ContainsAny(s, "-_") {
		enc, alphabet, chars = base64.RawURLEncoding, "URL", letters+"-_"
	}
	unpadded := strings.TrimRight(s, "=")
	if i := strings.IndexFunc(unpadded, func(r rune) bool { return !strings.ContainsRune(chars, r) }); i >= 0 {
		r, _ := utf8.DecodeRuneInString(unpadded[i:])
		return nil, "", fmt.Errorf("%q is not in the %s base64 alphabet", r, alphabet)
	}
	b, err := enc.DecodeString(unpadded)
	if err != nil {
		return nil, "", fmt.Errorf("%d base64 characters cannot be whole bytes; truncated?", len(unpadded))
	}
	if len(unpadded) < len(s) {
		alphabet += ", padded"
	}
	return b, alphabet, nil
}

// looksLikeText reports whether data is UTF-8 text: printable characters
// and white space. Decode's failures in text are read as failures of
// JSON or base64, in bytes as failures of protobuf.
func looksLikeText(data []byte) bool {
	if !utf8.Valid(data) {
		return false
	}
	for _, r := range string(data) {
		if !unicode.IsPrint(r) && !unicode.IsSpace(r) {
			return false
		}
	}
	return true
}

// reason returns a decoding error of the errcode package as one line
// without the package's prefixes, which the form already names.
func reason(err error) string {
	lines := strings.Split(err.Error(), "\n")
	for i, l := range lines {
		l = strings.TrimPrefix(l, "errcode: decode JSON: ")
		lines[i] = strings.TrimPrefix(l, "errcode: decode: ")
	}
	return strings.Join(lines, "; ")
}

// oneLine returns s with its line breaks as "; ".
func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", "; ")), " ")
}

// writeDecoded writes the human-readable description of err, decoded
// from the given form.
func writeDecoded(out *bytes.Buffer, reg *errcode.Registry, err error, form string) {
	field := func(label, value string) { fmt.Fprintf(out, "%-13s%s\n", label+":", value) }
	list := func(s []string) string {
		if len(s) == 0 {
			return "none"
		}
		return strings.Join(s, ", ")
	}

	field("form", form)
	field("message", escapeLines(err.Error()))
	name := errcode.NameOf(err)
	switch c, known := reg.Lookup(name); {
	case name == "":
		field("code", "none (no code in the chain)")
		field("ancestors", "none")
	case known:
		field("code", name+" (known)")
		field("ancestors", list(names(c.Ancestors())))
	default:
		sent := errcode.AncestorNamesOf(err)
		nearest := "none of its ancestors is known either"
		if k := errcode.CodeOf(err); !k.IsZero() && slices.Contains(sent, k.Name()) {
			nearest = "nearest known ancestor: " + k.Name()
		}
		field("code", name+" (not in this build; "+nearest+")")
		if len(sent) > 0 {
			field("ancestors", list(sent)+" (as sent)")
		} else {
			field("ancestors", "none (as sent)")
		}
	}

	retry := errcode.RetryOf(err)
	field("retry", retry.String())
	fmt.Fprintf(out, "  %-11s%s\n", "why:", retryReason(reg, err, retry))
	field("gRPC", errcode.GRPCCodeOf(err).String())
	status := errcode.HTTPStatusOf(err)
	field("HTTP", strconv.Itoa(status)+" "+http.StatusText(status))
	if d := errcode.RetryAfterOf(err); d > 0 {
		field("retry after", d.String())
	} else {
		field("retry after", "none")
	}
	writeFields(out, errcode.Fields(err))

	fmt.Fprintf(out, "\nfull error (%%+v):\n%+v\n", err)
}

// writeFields writes the fields sorted by key: key, Go type and value.
func writeFields(out *bytes.Buffer, fs map[string]any) {
	if len(fs) == 0 {
		fmt.Fprintf(out, "%-13s%s\n", "fields:", "none")
		return
	}
	fmt.Fprintf(out, "%-13s%d\n", "fields:", len(fs))
	keys := make([]string, 0, len(fs))
	for k := range fs {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	for _, k := range keys {
		fmt.Fprintf(tw, "  %s\t%T\t%s\n", escapeLines(k), fs[k], fieldValue(fs[k]))
	}
	tw.Flush()
}

// fieldValue returns v as one line: a string quoted, anything else as
// %v prints it, its line breaks escaped.
func fieldValue(v any) string {
	if s, ok := v.(string); ok {
		return strconv.Quote(s)
	}
	return escapeLines(fmt.Sprintf("%v", v))
}

// escapeLines returns s with its line breaks and tabs escaped, as Go
// writes them in a string literal, so that it takes one line, and what
// else a terminal could act on escaped by [escapeTerminal].
func escapeLines(s string) string {
	return escapeTerminal(strings.NewReplacer("\n", `\n`, "\r", `\r`, "\t", `\t`).Replace(s))
}

// retryReason says which layer of err decides retry, [errcode.RetryOf]
// of err, by the rule RetryOf follows: the outermost override or coded
// layer whose code has a decision decides; a multi-cause layer combines
// its branches.
func retryReason(reg *errcode.Registry, err error, retry errcode.Retry) string {
	if retry == errcode.Unspecified {
		return "nothing decides: no WithRetry override, and no code in the chain has a retry decision"
	}
	for l := err; l != nil; l = errbase.UnwrapOnce(l) {
		if errbase.UnwrapMulti(l) != nil {
			return "the causes of a multi-cause error (permanent if any is, else transient if any is)"
		}
		why, r := layerRetry(reg, l)
		if r == retry {
			return why
		}
		if r != errcode.Unspecified {
			break // RetryOf disagrees: say so rather than guess
		}
	}
	return "not found: no layer this build can inspect decides " + retry.String()
}

// layerRetry returns the retry decision of one layer of a chain and
// where it comes from; Unspecified when the layer defers to what it
// wraps.
//
// errcode does not export its layers' types, so they are known by their
// safe details (WIRE.md): a coded layer carries "code=NAME" and the
// sender's "retry=DECISION" (a decoded layer keeps those it came with), a
// WithRetry override carries "retry=DECISION" alone. A layer of another
// kind could carry details that look the same; it is taken for one of
// errcode's only if what it claims is what errcode's queries say of the
// chain from that layer in: [errcode.NameOf] is the code it names, and
// [errcode.RetryOf] is its decision. One that claims just what errcode
// answers cannot be told from errcode's own, and is reported as such.
func layerRetry(reg *errcode.Registry, l error) (why string, _ errcode.Retry) {
	if c, ok := l.(errcode.Code); ok {
		if c.Registry() == nil {
			return codeRetryReason(reg, c.Name(), c.Retry())
		}
		return codeRetryReason(reg, c.Name(), errcode.Unspecified)
	}
	sentRetry := func() errcode.Retry {
		v, _ := safeDetail(l, "retry=")
		r, err := errcode.ParseRetry(v)
		if err != nil {
			return errcode.Unspecified
		}
		return r
	}
	if name, ok := safeDetail(l, "code="); ok {
		if name != errcode.NameOf(l) {
			return "", errcode.Unspecified
		}
		why, r := codeRetryReason(reg, name, sentRetry())
		if r != errcode.RetryOf(l) {
			return "", errcode.Unspecified
		}
		return why, r
	}
	if _, ok := safeDetail(l, "retry="); ok && len(errbase.GetSafeDetails(l).SafeDetails) == 1 {
		r := sentRetry()
		if r != errcode.RetryOf(l) {
			return "", errcode.Unspecified
		}
		return "override (WithRetry)", r
	}
	return "", errcode.Unspecified
}

// codeRetryReason returns the retry decision of the code named name:
// this build's when it knows the code (sent is ignored, as decoding
// ignores it), else sent, the sender's.
func codeRetryReason(reg *errcode.Registry, name string, sent errcode.Retry) (string, errcode.Retry) {
	if name == "" {
		return "", errcode.Unspecified
	}
	c, known := reg.Lookup(name)
	switch {
	case !known:
		return "from code " + name + " (the sender's decision; the code is not in this build)", sent
	case c.Retry() == errcode.Unspecified:
		return "", errcode.Unspecified
	case c.RetryFrom() == c:
		return "from code " + c.Name() + " (own)", c.Retry()
	}
	return "from code " + c.Name() + " (inherited from " + c.RetryFrom().Name() + ")", c.Retry()
}

// safeDetail returns the value of l's own safe detail prefix+value (see
// cockroachdb's errors.GetSafeDetails; the details of the layers l wraps
// are not looked at), and whether l has one.
func safeDetail(l error, prefix string) (string, bool) {
	for _, d := range errbase.GetSafeDetails(l).SafeDetails {
		if v, ok := strings.CutPrefix(d, prefix); ok {
			return v, true
		}
	}
	return "", false
}
