package errcodelint_test

import (
	"go/types"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/tools/go/packages"
)

// TestStubsMatch checks that the packages under testdata/src that stand
// in for errcode and cockroachdb's errors in the analyzers' tests
// declare what they declare as the real packages do: every exported
// function, method and variable of a stand-in has the real one's
// signature or type, so the analyzers' tests see errcode's API.
func TestStubsMatch(t *testing.T) {
	testdata, err := filepath.Abs("testdata")
	require.NoError(t, err)
	mode := packages.NeedName | packages.NeedTypes
	paths := []string{"github.com/errcode/errcode", "github.com/cockroachdb/errors"}

	real, err := packages.Load(&packages.Config{Mode: mode, Dir: ".."}, paths...)
	require.NoError(t, err)
	stub, err := packages.Load(&packages.Config{
		Mode: mode, Dir: testdata,
		Env: append(os.Environ(), "GOPATH="+testdata, "GO111MODULE=off", "GOWORK=off", "GOFLAGS="),
	}, paths...)
	require.NoError(t, err)
	byPath := func(pkgs []*packages.Package) map[string]*types.Package {
		m := make(map[string]*types.Package)
		for _, p := range pkgs {
			require.Empty(t, p.Errors, "loading %s", p.PkgPath)
			m[p.PkgPath] = p.Types
		}
		return m
	}
	realPkgs, stubPkgs := byPath(real), byPath(stub)
	qualify := func(p *types.Package) string { return p.Path() }

	for _, path := range paths {
		t.Run(path, func(t *testing.T) {
			rs, ss := realPkgs[path].Scope(), stubPkgs[path].Scope()
			checked := 0
			for _, name := range ss.Names() {
				obj := ss.Lookup(name)
				if !obj.Exported() {
					continue
				}
				robj := rs.Lookup(name)
				require.NotNil(t, robj, "%s.%s is not in the real package", path, name)
				if _, ok := obj.(*types.TypeName); !ok {
					checked++
					require.Equal(t, types.ObjectString(robj, qualify), types.ObjectString(obj, qualify))
					continue
				}
				named, ok := obj.Type().(*types.Named)
				require.True(t, ok, "%s.%s is not a named type", path, name)
				for m := range named.Methods() {
					if !m.Exported() {
						continue
					}
					rm, _, _ := types.LookupFieldOrMethod(robj.Type(), true, robj.Pkg(), m.Name())
					require.NotNil(t, rm, "%s.%s.%s is not in the real package", path, name, m.Name())
					checked++
					require.Equal(t, types.ObjectString(rm, qualify), types.ObjectString(m, qualify))
				}
			}
			require.NotZero(t, checked)
		})
	}
}
