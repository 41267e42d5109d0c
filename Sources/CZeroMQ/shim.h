#ifndef CZEROMQ_SHIM_H
#define CZEROMQ_SHIM_H

// libzmq's C API (Debian package libzmq3-dev, pkg-config name `libzmq`).
#include <zmq.h>

#endif
