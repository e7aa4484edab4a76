package errcode

//go:generate go run ./cmd/errcode docs -o CODES.md
//go:generate go run ./errcodepy/internal/gendefault -o python/sandbox_exceptions.py
