// libgit2 without its network set-up. mlops-lint never touches the network, yet libgit2 (Debian's
// 1.5, built with mbedTLS, libssh2 and GSSAPI) prepares for it in every process:
// - git_libgit2_init parses the system's whole CA bundle (/etc/ssl/certs/ca-certificates.crt,
//   ~140 PEM certificates), about a tenth of a one-file run, with no option to skip it;
// - linking it loads the Kerberos libraries behind GSSAPI (seven shared libraries), only ever
//   used to authenticate to an HTTP remote that asks for Negotiate.
// These definitions take their place: no CA certificate is loaded (libgit2 notes it and carries
// on; a TLS connection could not verify a server, and there are none), and every GSSAPI call
// fails as if no mechanism were available (libgit2 reports Negotiate as unavailable). Nothing
// else in the process loads certificates or uses GSSAPI.
//
// Linked into every binary that links libgit2 (src/CMakeLists.txt, mlops_libgit2_offline).
// With libgit2's static archive (MLOPS_STATIC_LIBGIT2), the CA loader is reached through the
// linker's --wrap and the GSSAPI functions are defined here; with the shared library, this
// definition of the CA loader comes first in the dynamic linker's lookup order and GSSAPI is
// the real one.
#include <cstdint>

namespace {
constexpr int kX509FileIoError = -0x2900;  // MBEDTLS_ERR_X509_FILE_IO_ERROR: "read/write of file failed"
}  // namespace

#ifdef MLOPS_STATIC_LIBGIT2

// The name is the linker's: --wrap=SYMBOL sends calls of SYMBOL to __wrap_SYMBOL.
extern "C" int __wrap_mbedtls_x509_crt_parse_file(  // NOLINT(bugprone-reserved-identifier)
    void* /*chain*/, const char* /*path*/) {
  return kX509FileIoError;
}

// The GSSAPI functions libgit2's Negotiate authentication calls (RFC 2744's C bindings; opaque
// handles as void*). Creating anything fails; releasing nothing succeeds.
namespace {
using OmUint32 = uint32_t;
constexpr OmUint32 kGssFailure = 13u << 16;  // GSS_S_FAILURE
OmUint32 fail(OmUint32* minor) {
  if (minor) *minor = 0;
  return kGssFailure;
}
OmUint32 done(OmUint32* minor) {
  if (minor) *minor = 0;
  return 0;  // GSS_S_COMPLETE
}
}  // namespace

extern "C" {
void* GSS_C_NT_HOSTBASED_SERVICE = nullptr;

OmUint32 gss_indicate_mechs(OmUint32* minor, void** /*mech_set*/) {
  return fail(minor);
}
OmUint32 gss_import_name(OmUint32* minor, void* /*name_buffer*/, void* /*name_type*/, void** /*name*/) {
  return fail(minor);
}
OmUint32 gss_init_sec_context(OmUint32* minor, void* /*cred*/, void** /*context*/, void* /*target*/,
                              void* /*mech*/, OmUint32 /*flags*/, OmUint32 /*time_req*/, void* /*bindings*/,
                              void* /*input*/, void** /*actual_mech*/, void* /*output*/,
                              OmUint32* /*ret_flags*/, OmUint32* /*time_rec*/) {
  return fail(minor);
}
OmUint32 gss_display_status(OmUint32* minor, OmUint32 /*status*/, int /*type*/, void* /*mech*/,
                            OmUint32* /*message_context*/, void* /*status_string*/) {
  return fail(minor);
}
OmUint32 gss_delete_sec_context(OmUint32* minor, void** /*context*/, void* /*output*/) {
  return done(minor);
}
OmUint32 gss_release_buffer(OmUint32* minor, void* /*buffer*/) {
  return done(minor);
}
OmUint32 gss_release_name(OmUint32* minor, void** /*name*/) {
  return done(minor);
}
OmUint32 gss_release_oid_set(OmUint32* minor, void** /*set*/) {
  return done(minor);
}
}  // extern "C"

#else

extern "C" int mbedtls_x509_crt_parse_file(void* chain, const char* path);
extern "C" int mbedtls_x509_crt_parse_file(void* /*chain*/, const char* /*path*/) {
  return kX509FileIoError;
}

#endif
