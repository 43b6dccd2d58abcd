package datasets

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
)

// The packed image format ("VPK") carries an image set with its published
// train/test split to the browser in a compact, validated form. It is the
// gzip compression of:
//
//	magic    "VAEPK" and version byte 1
//	bits     1 byte: grey levels per pixel are 2^bits (1, 2, 4 or 8)
//	width    1 byte, height 1 byte (1..255)
//	name     1 byte length + UTF-8 bytes
//	classes  1 byte count k (0..255), then k × (1 byte length + bytes)
//	nTrain   4 bytes little-endian, nTest 4 bytes little-endian
//	labels   nTrain+nTest bytes, each below k (absent when k = 0)
//	pixels   nTrain+nTest images, each ceil(width·height·bits/8) bytes,
//	         pixels row-major, most significant bits first
//	crc      4 bytes little-endian: CRC-32 (IEEE) of everything above
//
// Quantised pixels keep enough grey levels for dynamic binarisation
// (sampling each pixel as a Bernoulli of its intensity) at 4 bits.
const packedMagic = "VAEPK\x01"

// Limits of the packed format.
const (
	MaxPackedImages = 200_000
	MaxPackedBytes  = 64 << 20 // uncompressed pixel bytes, packed and once decoded (a byte a pixel)
)

// Packed is a decoded packed image set.
type Packed struct {
	Name        string
	Bits        int
	Train, Test *Dataset // Test may be nil when the file holds no test images
}

// Split returns the train or test part.
func (p *Packed) Split(s Split) *Dataset {
	if s == TestSplit {
		return p.Test
	}
	return p.Train
}

func quantize(v uint8, bits int) uint8 {
	levels := uint32(1)<<bits - 1
	return uint8((uint32(v)*levels + 127) / 255)
}

func dequantize(q uint8, bits int) uint8 {
	levels := uint32(1)<<bits - 1
	return uint8((uint32(q)*255 + levels/2) / levels)
}

func imageBytes(w, h, bits int) int { return (w*h*bits + 7) / 8 }

// WritePacked writes train and test (image sets of one size and one label
// list; test may be nil) in the packed format with pixels quantised to the
// given bits.
func WritePacked(w io.Writer, name string, bits int, train, test *Dataset) error {
	if bits != 1 && bits != 2 && bits != 4 && bits != 8 {
		return fmt.Errorf("pack: bits %d is not 1, 2, 4 or 8", bits)
	}
	parts := []*Dataset{train}
	if test != nil {
		parts = append(parts, test)
	}
	for _, d := range parts {
		if err := d.Validate(); err != nil {
			return fmt.Errorf("pack: %w", err)
		}
		if d.Kind != Image || d.Pix == nil {
			return errors.New("pack: not an image set")
		}
		if d.Width != train.Width || d.Height != train.Height || len(d.LabelNames) != len(train.LabelNames) || (d.Labels == nil) != (train.Labels == nil) {
			return errors.New("pack: train and test differ in image size or labels")
		}
		if (d.Labels == nil) != (len(d.LabelNames) == 0) {
			return errors.New("pack: labels and label names must come together")
		}
	}
	if train.Width > 255 || train.Height > 255 || len(name) > 255 || len(train.LabelNames) > 255 {
		return errors.New("pack: size, name or label list too large for the format")
	}
	nTest := 0
	if test != nil {
		nTest = test.N
	}
	if train.N+nTest > MaxPackedImages || (train.N+nTest)*imageBytes(train.Width, train.Height, bits) > MaxPackedBytes {
		return fmt.Errorf("pack: %d images exceed the format's limits", train.N+nTest)
	}
	var b bytes.Buffer
	b.WriteString(packedMagic)
	b.WriteByte(byte(bits))
	b.WriteByte(byte(train.Width))
	b.WriteByte(byte(train.Height))
	b.WriteByte(byte(len(name)))
	b.WriteString(name)
	b.WriteByte(byte(len(train.LabelNames)))
	for _, s := range train.LabelNames {
		if len(s) > 255 {
			return fmt.Errorf("pack: label name %q too long", s)
		}
		b.WriteByte(byte(len(s)))
		b.WriteString(s)
	}
	b.Write(binary.LittleEndian.AppendUint32(nil, uint32(train.N)))
	b.Write(binary.LittleEndian.AppendUint32(nil, uint32(nTest)))
	if train.Labels != nil {
		for _, d := range parts {
			for _, l := range d.Labels {
				b.WriteByte(byte(l))
			}
		}
	}
	ib := imageBytes(train.Width, train.Height, bits)
	row := make([]byte, ib)
	for _, d := range parts {
		for i := 0; i < d.N; i++ {
			clear(row)
			for j, v := range d.Pix[i*d.D : (i+1)*d.D] {
				q := quantize(v, bits)
				bit := j * bits
				row[bit/8] |= q << (8 - bits - bit%8)
			}
			b.Write(row)
		}
	}
	b.Write(binary.LittleEndian.AppendUint32(nil, crc32.ChecksumIEEE(b.Bytes())))

	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	if _, err := zw.Write(b.Bytes()); err != nil {
		return fmt.Errorf("pack: %w", err)
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("pack: %w", err)
	}
	return nil
}

// crcReader feeds everything read through a CRC-32.
type crcReader struct {
	r   io.Reader
	crc uint32
}

func (c *crcReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.crc = crc32.Update(c.crc, crc32.IEEETable, p[:n])
	return n, err
}

// ReadPacked decodes the packed image format from r (gzip-compressed as
// written, or already decompressed, e.g. by a browser honouring
// Content-Encoding). It checks the magic and version, every size against
// the format's limits, label values, the exact length and the CRC; on any
// fault it returns an error and no data.
func ReadPacked(r io.Reader) (*Packed, error) {
	src, finish, err := gunzipMaybe(r)
	if err != nil {
		return nil, fmt.Errorf("packed: %w", err)
	}
	cr := &crcReader{r: src}
	fail := func(format string, a ...any) (*Packed, error) {
		return nil, fmt.Errorf("packed: "+format, a...)
	}
	head := make([]byte, len(packedMagic)+4)
	if _, err := io.ReadFull(cr, head); err != nil {
		return fail("header: %v", noEOF(err))
	}
	if string(head[:len(packedMagic)-1]) != packedMagic[:len(packedMagic)-1] {
		return fail("bad magic %q: not a packed image file", head[:len(packedMagic)-1])
	}
	if v := head[len(packedMagic)-1]; v != packedMagic[len(packedMagic)-1] {
		return fail("version %d not supported (want 1)", v)
	}
	bits, w, h := int(head[6]), int(head[7]), int(head[8])
	if bits != 1 && bits != 2 && bits != 4 && bits != 8 {
		return fail("bits per pixel %d is not 1, 2, 4 or 8", bits)
	}
	if w == 0 || h == 0 {
		return fail("image size %d×%d", w, h)
	}
	readStr := func(what string) (string, error) {
		s, err := readExactly(cr, int(head[9]))
		if err != nil {
			return "", fmt.Errorf("%s: %w", what, err)
		}
		return string(s), nil
	}
	name, err := readStr("name")
	if err != nil {
		return fail("%v", err)
	}
	var one [1]byte
	if _, err := io.ReadFull(cr, one[:]); err != nil {
		return fail("class count: %v", noEOF(err))
	}
	k := int(one[0])
	labelNames := make([]string, k)
	for i := range labelNames {
		if _, err := io.ReadFull(cr, one[:]); err != nil {
			return fail("class %d name: %v", i, noEOF(err))
		}
		s, err := readExactly(cr, int(one[0]))
		if err != nil {
			return fail("class %d name: %v", i, err)
		}
		labelNames[i] = string(s)
	}
	var counts [8]byte
	if _, err := io.ReadFull(cr, counts[:]); err != nil {
		return fail("image counts: %v", noEOF(err))
	}
	nTrain := binary.LittleEndian.Uint32(counts[:4])
	nTest := binary.LittleEndian.Uint32(counts[4:])
	ib := imageBytes(w, h, bits)
	// Both bounds: at 1 bit a pixel the decoded images are 8× the packed bytes.
	total := uint64(nTrain) + uint64(nTest)
	if nTrain == 0 || total > MaxPackedImages || total*uint64(ib) > MaxPackedBytes || total*uint64(w*h) > MaxPackedBytes {
		return fail("%d train + %d test images of %d×%d: empty or beyond the limits (%d images, %d bytes)", nTrain, nTest, w, h, MaxPackedImages, MaxPackedBytes)
	}
	n := int(nTrain) + int(nTest)
	var labels []byte
	if k > 0 {
		if labels, err = readExactly(cr, n); err != nil {
			return fail("labels: %v", err)
		}
		for i, l := range labels {
			if int(l) >= k {
				return fail("image %d has label %d, not below %d", i, l, k)
			}
		}
	}
	packed, err := readExactly(cr, n*ib)
	if err != nil {
		return fail("pixels: %v", err)
	}
	want := cr.crc
	var sum [4]byte
	if _, err := io.ReadFull(src, sum[:]); err != nil {
		return fail("checksum: %v", noEOF(err))
	}
	if got := binary.LittleEndian.Uint32(sum[:]); got != want {
		return fail("checksum mismatch (stored %08x, computed %08x): the file is corrupt", got, want)
	}
	if err := finish(); err != nil {
		return fail("%v", err)
	}

	mask := byte(1)<<bits - 1
	makeSet := func(off, cnt int) *Dataset {
		d := &Dataset{Name: name, Kind: Image, N: cnt, D: w * h, Width: w, Height: h, Pix: make([]uint8, cnt*w*h)}
		if k > 0 {
			d.Labels = make([]int, cnt)
			for i := range d.Labels {
				d.Labels[i] = int(labels[off+i])
			}
			d.LabelNames = labelNames
		}
		for i := 0; i < cnt; i++ {
			row := packed[(off+i)*ib : (off+i+1)*ib]
			for j := 0; j < w*h; j++ {
				bit := j * bits
				q := row[bit/8] >> (8 - bits - bit%8) & mask
				d.Pix[i*w*h+j] = dequantize(q, bits)
			}
		}
		return d
	}
	p := &Packed{Name: name, Bits: bits, Train: makeSet(0, int(nTrain))}
	if nTest > 0 {
		p.Test = makeSet(int(nTrain), int(nTest))
	}
	return p, nil
}
