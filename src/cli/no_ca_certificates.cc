// mlops-lint never touches the network, yet every initialisation of a libgit2 built with mbedTLS
// (Debian's libgit2 1.5) parses the system's whole CA bundle (/etc/ssl/certs/ca-certificates.crt,
// ~140 PEM certificates): about a tenth of a one-file run, and libgit2 offers no option to skip
// it. This definition of mbedTLS's file loader, in the executable, comes first in the dynamic
// linker's lookup order, so libgit2's call at git_libgit2_init loads nothing: libgit2 notes that
// no CA certificates were loaded and carries on (a TLS connection could not verify a server;
// there are none). Nothing else in the process loads certificates from a file. A libgit2 built
// with OpenSSL, or statically, never calls it: then this is unused and harmless.
extern "C" int mbedtls_x509_crt_parse_file(void* chain, const char* path);

extern "C" int mbedtls_x509_crt_parse_file(void* /*chain*/, const char* /*path*/) {
  return -0x2900;  // MBEDTLS_ERR_X509_FILE_IO_ERROR: "read/write of file failed"
}
