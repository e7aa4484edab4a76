package errcode

//go:generate go run ./cmd/errcode docs -o CODES.md
//go:generate go run ./cmd/errcode python -o python/sandbox_exceptions.py
