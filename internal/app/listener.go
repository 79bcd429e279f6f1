package app

import "net"

// Listener is what Serve accepts: a net.Listener, so tests can listen on
// port 0 and learn the address.
type Listener = net.Listener
