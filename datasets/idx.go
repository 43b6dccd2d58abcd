package datasets

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// MaxIDXBytes bounds the data section of an IDX file (MNIST's training
// images have 47,040,000 bytes).
const MaxIDXBytes = 64 << 20

// IDX is a decoded IDX file of unsigned bytes (type code 0x08), the format
// of the MNIST and Fashion-MNIST distributions.
type IDX struct {
	Dims []int  // sizes, outermost first
	Data []byte // row-major, product of Dims bytes
}

// Magic returns the file's magic number: 0x0800 + the number of dims
// (0x0801 for label files, 0x0803 for image files).
func (x *IDX) Magic() uint32 { return 0x0800 | uint32(len(x.Dims)) }

// gunzipMaybe returns a reader of r's content, decompressing it if it
// starts with the gzip magic, and a function to call after the content was
// read: it reports trailing bytes and, for gzip, a bad checksum.
func gunzipMaybe(r io.Reader) (io.Reader, func() error, error) {
	br := bufio.NewReader(r)
	head, err := br.Peek(2)
	if err != nil && len(head) < 2 {
		if err == io.EOF {
			return nil, nil, errors.New("file is empty or shorter than its header")
		}
		return nil, nil, err
	}
	var src io.Reader = br
	gzipped := head[0] == 0x1f && head[1] == 0x8b
	if gzipped {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, nil, fmt.Errorf("gzip: %w", err)
		}
		zr.Multistream(false)
		src = zr
	}
	finish := func() error {
		var b [1]byte
		n, err := io.ReadFull(src, b[:])
		if n > 0 {
			return errors.New("trailing bytes after the data")
		}
		if err != io.EOF {
			return fmt.Errorf("after the data: %w", err)
		}
		if gzipped {
			if _, err := br.ReadByte(); err == nil {
				return errors.New("trailing bytes after the gzip stream")
			}
		}
		return nil
	}
	return src, finish, nil
}

// readExactly reads n bytes, growing its buffer as data arrive so that a
// header claiming a huge size costs nothing when the data are missing.
func readExactly(r io.Reader, n int) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(min(n, 1<<20))
	got, err := io.CopyN(&buf, r, int64(n))
	if got < int64(n) {
		if err == io.EOF || err == nil || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, fmt.Errorf("truncated: %d of %d bytes", got, n)
		}
		return nil, err
	}
	return buf.Bytes(), nil
}

// ReadIDX decodes an IDX file of unsigned bytes, gzip-compressed or raw.
// It checks the magic number (two zero bytes, type 0x08, 1 to 4 dims),
// that every size is positive and the data fit MaxIDXBytes, that exactly
// the announced number of bytes follows (no truncation, nothing after),
// and, for gzip, the checksum.
func ReadIDX(r io.Reader) (*IDX, error) {
	src, finish, err := gunzipMaybe(r)
	if err != nil {
		return nil, fmt.Errorf("idx: %w", err)
	}
	var magic [4]byte
	if _, err := io.ReadFull(src, magic[:]); err != nil {
		return nil, fmt.Errorf("idx: reading magic number: %w", noEOF(err))
	}
	m := binary.BigEndian.Uint32(magic[:])
	if magic[0] != 0 || magic[1] != 0 {
		return nil, fmt.Errorf("idx: magic number 0x%08x does not start with two zero bytes: not an IDX file", m)
	}
	if magic[2] != 0x08 {
		return nil, fmt.Errorf("idx: magic number 0x%08x: data type 0x%02x is not unsigned byte (0x08)", m, magic[2])
	}
	nd := int(magic[3])
	if nd < 1 || nd > 4 {
		return nil, fmt.Errorf("idx: magic number 0x%08x: %d dimensions, want 1 to 4", m, nd)
	}
	dims := make([]int, nd)
	total := 1
	for i := range dims {
		var b [4]byte
		if _, err := io.ReadFull(src, b[:]); err != nil {
			return nil, fmt.Errorf("idx: reading size %d: %w", i, noEOF(err))
		}
		v := binary.BigEndian.Uint32(b[:])
		if v == 0 {
			return nil, fmt.Errorf("idx: size %d is zero", i)
		}
		if uint64(v) > MaxIDXBytes || uint64(total)*uint64(v) > MaxIDXBytes {
			return nil, fmt.Errorf("idx: sizes %v… exceed %d bytes", append(dims[:i:i], int(v)), MaxIDXBytes)
		}
		dims[i] = int(v)
		total *= int(v)
	}
	data, err := readExactly(src, total)
	if err != nil {
		return nil, fmt.Errorf("idx: data of sizes %v: %w", dims, err)
	}
	if err := finish(); err != nil {
		return nil, fmt.Errorf("idx: %w", err)
	}
	return &IDX{Dims: dims, Data: data}, nil
}

func noEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}
