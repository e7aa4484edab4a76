// Command gendefault writes the Python module of errcode.Default, the
// sandbox catalog, with errcodepy.Generate:
//
//	go run ./errcodepy/internal/gendefault -o python/sandbox_exceptions.py
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"

	"github.com/errcode/errcode"
	"github.com/errcode/errcode/errcodepy"
)

func main() {
	out := flag.String("o", "", "the file to write (standard output when empty)")
	flag.Parse()
	var b bytes.Buffer
	if err := errcodepy.Generate(&b, errcode.Default); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if *out == "" {
		os.Stdout.Write(b.Bytes())
		return
	}
	if err := os.WriteFile(*out, b.Bytes(), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
