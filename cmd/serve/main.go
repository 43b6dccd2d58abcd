package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"strconv"
	"time"
)

func main() {
	var (
		dir    = flag.String("dir", "dist/site", "folder to serve")
		host   = flag.String("host", "127.0.0.1", "address to listen on")
		port   = flag.Int("port", 8080, "port to listen on (0 picks a free one)")
		prefix = flag.String("prefix", "/", "URL path the site lives under, e.g. /some/path/")
	)
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("serve: ")

	h, err := newSiteHandler(*dir, *prefix)
	if err != nil {
		log.Fatal(err)
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(*host, strconv.Itoa(*port)))
	if err != nil {
		log.Fatal(err)
	}
	// The first line of output is the URL (the end-to-end tests read it).
	fmt.Printf("http://%s%s\n", ln.Addr(), h.prefix)
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	log.Fatal(srv.Serve(ln))
}
