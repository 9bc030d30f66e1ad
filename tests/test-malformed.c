/* Malformed scenarios: each gives "FILE:LINE: what is wrong", never a crash. */
#include <glib/gstdio.h>
#include <string.h>

#include "hl-test-util.h"

#define HEAD "[Scenario]\nFormat=1\nTitle=t\n"
#define SERVER                                                                                     \
  "[Server]\nCertificateChain=assets/pki/server-rsa-chain.pem\nPrivateKey=assets/pki/"             \
  "server-rsa.key\n"

typedef struct {
  const char *name;
  const char *text;
  int line;
  const char *message; /* a substring the error must contain */
} Case;

static const Case cases[] = {
  { "empty", "", 1, "no [Scenario] group" },
  { "garbage", "\x01\x02\xff\xfe binary", 1, "not a text file" },
  { "nul-byte", HEAD "Seed=a\0b\n", 4, "not a text file" },
  { "not-key-value", HEAD "this is not a key\n", 4, "neither a [Group]" },
  /* A key log opened as a lesson (a teacher's trial): said what it is and where it goes. */
  { "key-log",
    "# SSL/TLS secrets log file\nCLIENT_RANDOM "
    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f "
    "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff0011223344556677"
    "8899aabbccddeeff\n",
    2, "this is a key log (as SSLKEYLOGFILE writes it), not a lesson: give it with --secrets" },
  { "key-before-group", "Format=1\n", 1, "before the first group" },
  { "unknown-group", HEAD "[Clent]\n", 4, "unknown group [Clent]; valid groups: Scenario" },
  { "unknown-key", HEAD "Titel=x\n", 4, "unknown key \"Titel\" in [Scenario]; valid keys: Format" },
  { "duplicate-key", HEAD "Title=again\n", 4, "appears twice" },
  { "wrong-format", "[Scenario]\nFormat=2\nTitle=t\n" SERVER, 2, "Format=2 is not supported" },
  { "missing-format", "[Scenario]\nTitle=t\n" SERVER, 1, "needs Format=1" },
  { "missing-title", "[Scenario]\nFormat=1\n" SERVER, 1, "needs a Title" },
  { "missing-server", HEAD, 1, "no [Server] group" },
  { "server-no-key", HEAD "[Server]\nCertificateChain=assets/pki/server-rsa-chain.pem\n", 5,
    "without PrivateKey" },
  { "unknown-suite", HEAD "[Client]\nCipherSuites=TLS_RSA_WITH_RC4_128_SHA\n" SERVER, 5,
    "valid suites: TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256" },
  { "misspelt-suite", HEAD "[Client]\nCipherSuites=TLS_RSA_WITH_AES_128_GCM_SHA265\n" SERVER, 5,
    "cipher suite \"TLS_RSA_WITH_AES_128_GCM_SHA265\": did you mean "
    "TLS_RSA_WITH_AES_128_GCM_SHA256? (no DHE" },
  { "transposed-suite",
    HEAD "[Client]\nCipherSuites=TLS_ECDHE_RSA_WITH_CHACHA20_POLY1350_SHA256\n" SERVER, 5,
    "did you mean TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256?" },
  { "tls13-suite", HEAD "[Client]\nCipherSuites=TLS_AES_128_GCM_SHA256\n" SERVER, 5,
    "none of these cipher suites can be used with Versions TLS1.0-TLS1.2" },
  { "tls13-bearssl", HEAD "[Client]\nVersions=TLS1.2-TLS1.3\nLibrary=bearssl\n" SERVER, 6,
    "BearSSL 0.6 has no TLS 1.3" },
  { "unknown-library", HEAD "[Client]\nLibrary=wolfssl\n" SERVER, 5,
    "unknown library \"wolfssl\"; valid: bearssl, openssl" },
  { "openssl-tls10", HEAD "[Client]\nVersions=TLS1.0-TLS1.3\n" SERVER, 5,
    "plays OpenSSL at TLS 1.2 and 1.3 only" },
  { "key-share-not-in-curves",
    HEAD "[Client]\nVersions=TLS1.3\nCurves=x25519\nKeyShares=secp256r1\n" SERVER, 7,
    "KeyShares names secp256r1, which Curves does not list" },
  { "two-key-shares",
    HEAD "[Client]\nVersions=TLS1.3\nCurves=x25519;secp256r1\nKeyShares=x25519;secp256r1\n" SERVER,
    7, "OpenSSL 3.0 sends a key share for one group only" },
  { "early-data-without-resumption",
    HEAD "[Client]\nVersions=TLS1.3\n" SERVER "Versions=TLS1.3\n[Resumption]\nEarlyData=GET /\n",
    11, "it needs Enabled=true" },
  { "early-data-tls12", HEAD SERVER "[Resumption]\nEnabled=true\nEarlyData=GET /\n", 9,
    "both sides need TLS1.3" },
  { "hello-retry-not-bool", HEAD SERVER "[Expect]\nHelloRetry=maybe\n", 8, "HelloRetry" },
  { "key-update-tls12", HEAD SERVER "[Application]\nKeyUpdate=true\n", 8,
    "KeyUpdate is TLS 1.3: the client needs TLS1.3 in Versions" },
  { "hello-retry-cookie-tls12", HEAD SERVER "HelloRetryCookie=true\n", 7,
    "HelloRetryCookie is TLS 1.3: the server needs TLS1.3 in Versions" },
  { "psk-mode-unknown",
    HEAD "[Client]\nVersions=TLS1.3\n" SERVER
         "Versions=TLS1.3\n[Resumption]\nEnabled=true\nPskMode=psk_only\n",
    12, "PskMode must be psk_dhe_ke or psk_ke" },
  { "psk-ke-without-resumption",
    HEAD "[Client]\nVersions=TLS1.3\n" SERVER "Versions=TLS1.3\n[Resumption]\nPskMode=psk_ke\n", 11,
    "it needs Enabled=true and TLS1.3 on both sides" },
  { "early-data-declined-without-early-data",
    HEAD "[Client]\nVersions=TLS1.3\n" SERVER
         "Versions=TLS1.3\n[Resumption]\nEnabled=true\nServerAcceptsEarlyData=false\n",
    12, "ServerAcceptsEarlyData=false declines 0-RTT data: it needs EarlyData" },
  { "unknown-version", HEAD "[Client]\nVersions=TLS2\n" SERVER, 5, "unknown version \"TLS2\"" },
  { "reversed-range", HEAD "[Client]\nVersions=TLS1.2-TLS1.0\n" SERVER, 5, "starts above" },
  { "unknown-curve", HEAD "[Client]\nCurves=x448\n" SERVER, 5, "valid curves: x25519" },
  { "bad-boolean", HEAD SERVER "PreferClientOrder=yes\n", 7, "must be true or false" },
  { "bad-time", "[Scenario]\nFormat=1\nTitle=t\nTime=yesterday\n" SERVER, 4, "not an ISO 8601" },
  { "missing-pem",
    HEAD "[Server]\nCertificateChain=assets/pki/nope.pem\nPrivateKey=assets/pki/server-rsa.key\n",
    5, "cannot read" },
  { "folder-as-file",
    HEAD "[Server]\nCertificateChain=assets/pki\nPrivateKey=assets/pki/server-rsa.key\n", 5,
    "is a folder" },
  { "key-as-certificate",
    HEAD
    "[Server]\nCertificateChain=assets/pki/server-rsa.key\nPrivateKey=assets/pki/server-rsa.key\n",
    5, "holds a private key" },
  { "certificate-as-key",
    HEAD "[Server]\nCertificateChain=assets/pki/server-rsa-chain.pem\nPrivateKey=assets/pki/"
         "server-rsa.crt\n",
    6, "holds no private key" },
  { "key-mismatch",
    HEAD "[Server]\nCertificateChain=assets/pki/server-rsa-chain.pem\nPrivateKey=assets/pki/"
         "client.key\n",
    6, "does not match" },
  { "encrypted-key",
    HEAD "[Server]\nCertificateChain=assets/pki/server-rsa-chain.pem\nPrivateKey=data/"
         "encrypted-key.pem\n",
    6, "is an encrypted private key" },
  { "device-as-key",
    HEAD "[Server]\nCertificateChain=assets/pki/server-rsa-chain.pem\nPrivateKey=/dev/zero\n", 6,
    "is not a regular file" },
  { "server-name-too-long",
    HEAD "[Client]\nServerName="
         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
         "aaaaaaaaaaaaaaaa\n" SERVER,
    5, "ServerName is 283 bytes long; a host name has at most 255" },
  { "missing-key-file",
    HEAD
    "[Server]\nCertificateChain=assets/pki/server-rsa-chain.pem\nPrivateKey=assets/pki/none.key\n",
    6, "cannot read" },
  { "empty-versions", HEAD "[Client]\nVersions=\n" SERVER, 5, "Versions is empty" },
  { "time-before-1970", "[Scenario]\nFormat=1\nTitle=t\nTime=1970-01-01T00:30:00+01:00\n" SERVER, 4,
    "outside 1970-01-01T00:00:00Z" },
  { "time-after-9999", "[Scenario]\nFormat=1\nTitle=t\nTime=9999-12-31T23:00:00-02:00\n" SERVER, 4,
    "outside 1970-01-01T00:00:00Z" },
  { "fault-mask-negative",
    HEAD SERVER "[Fault]\nMessage=client:Finished\nAction=flip\nOffset=1\nMask=-1\n", 11,
    "Mask must be 1 to 255 (decimal or 0x..), not \"-1\"" },
  { "fault-drop-with-offset",
    HEAD SERVER "[Fault]\nMessage=client:Finished\nAction=drop\nOffset=3\n", 10,
    "Offset has no meaning with Action=drop" },
  { "empty-certificate",
    HEAD
    "[Server]\nCertificateChain=data/empty-certificate.pem\nPrivateKey=assets/pki/server-rsa.key\n",
    5, "a certificate could not be decoded" },
  { "not-pem",
    HEAD
    "[Server]\nCertificateChain=assets/pki/generate.sh\nPrivateKey=assets/pki/server-rsa.key\n",
    5, "no PEM object" },
  { "trust-anchor-missing", HEAD "[Client]\nTrustAnchors=assets/pki/none.crt\n" SERVER, 5,
    "TrustAnchors: cannot read" },
  { "mtls-without-anchors", HEAD SERVER "RequestClientCertificate=true\n", 7,
    "needs ClientTrustAnchors" },
  { "fault-no-action", HEAD SERVER "[Fault]\nMessage=client:Finished\n", 7, "needs Action" },
  { "end-of-line-comment", HEAD "[Client]\nVersions=TLS1.2   # or a range\n" SERVER, 5,
    "comments must be on their own line: move \"# or a range\" to the line above Versions=" },
  { "comment-after-group", HEAD SERVER "[Application]   # optional\n", 7,
    "comments must be on their own line" },
  { "fault-connection-2-without-resumption",
    HEAD SERVER "[Fault]\nMessage=client:Finished\nConnection=2\nAction=drop\n", 9,
    "Connection=2 needs a second connection: set [Resumption] Enabled=true" },
  { "fault-connection-3",
    HEAD SERVER "[Resumption]\nEnabled=true\n[Fault]\nMessage=client:Finished\nConnection=3\n"
                "Action=drop\n",
    11, "Connection" },
  { "fault-connection-0",
    HEAD SERVER "[Resumption]\nEnabled=true\n[Fault]\nMessage=client:Finished\nConnection=0\n"
                "Action=drop\n",
    11, "Connection must be 1, or 2" },
  { "fault-bad-side", HEAD SERVER "[Fault]\nMessage=middle:Finished\nAction=drop\n", 8,
    "unknown side" },
  { "fault-bad-message", HEAD SERVER "[Fault]\nMessage=client:Goodbye\nAction=drop\n", 8,
    "unknown message \"Goodbye\"; valid messages: ClientHello" },
  { "fault-bad-action", HEAD SERVER "[Fault]\nMessage=client:Finished\nAction=burn\n", 9,
    "unknown action" },
  { "fault-flip-no-mask", HEAD SERVER "[Fault]\nMessage=client:Finished\nAction=flip\nOffset=1\n",
    9, "needs Offset and Mask" },
  { "fault-mask-zero",
    HEAD SERVER "[Fault]\nMessage=client:Finished\nAction=flip\nOffset=1\nMask=0\n", 11,
    "Mask must be 1 to 255 (decimal or 0x..), not \"0\": 0 changes nothing" },
  { "fault-mask-big",
    HEAD SERVER "[Fault]\nMessage=client:Finished\nAction=flip\nOffset=1\nMask=256\n", 11,
    "Mask must be 1 to 255 (decimal or 0x..), not \"256\"" },
  { "expect-bad-outcome", HEAD SERVER "[Expect]\nOutcome=maybe\n", 8, "success or failure" },
  { "expect-bad-error", HEAD SERVER "[Expect]\nClientError=BR_ERR_NOPE\n", 8,
    "not a BearSSL error" },
};

/* A Description one character over the limit is refused at its line; one at the limit
 * loads. */
static void
test_long_description (void)
{
  GString *text = g_string_new ("[Scenario]\nFormat=1\nTitle=t\n# a comment\nDescription=");
  g_autofree char *path = hl_test_write_scenario ("");
  g_autofree char *prefix = g_strdup_printf ("%s:5: ", path);
  g_autoptr (GError) error = NULL;
  HlScenario *s;
  gsize at;
  for (int i = 0; i < HL_SCENARIO_DESCRIPTION_MAX - 1; i++)
    g_string_append (text, i % 2 ? "é" : "a"); /* characters, not bytes */
  at = text->len;
  g_string_append (text, "z\n" SERVER);
  g_assert_true (g_file_set_contents (path, text->str, text->len, NULL));
  s = hl_scenario_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_utf8_strlen (s->description, -1), ==, HL_SCENARIO_DESCRIPTION_MAX);
  hl_scenario_free (s);
  g_string_insert (text, at, "y");
  g_assert_true (g_file_set_contents (path, text->str, text->len, NULL));
  s = hl_scenario_load (path, &error);
  g_assert_null (s);
  g_assert_nonnull (error);
  g_test_message ("got: %s", error->message);
  g_assert_true (g_str_has_prefix (error->message, prefix));
  g_assert_nonnull (strstr (error->message, "Description is 4001 characters long; at most 4000"));
  g_string_free (text, TRUE);
}

static void
test_case (gconstpointer data)
{
  const Case *c = data;
  g_autofree char *path = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (HlScenario) s = NULL;
  g_autofree char *prefix = NULL;
  gsize len = strlen (c->text);
  if (strcmp (c->name, "nul-byte") == 0)
    len = strlen (HEAD "Seed=a") + 3;
  path = hl_test_write_scenario ("");
  g_assert_true (g_file_set_contents (path, c->text, len, NULL));
  s = hl_scenario_load (path, &error);
  g_assert_null (s);
  g_assert_nonnull (error);
  prefix = g_strdup_printf ("%s:%d: ", path, c->line);
  if (!g_str_has_prefix (error->message, prefix) || !strstr (error->message, c->message))
    g_test_message ("got: %s", error->message);
  g_assert_true (g_str_has_prefix (error->message, prefix));
  g_assert_nonnull (strstr (error->message, c->message));
}

static void
test_huge_file (void)
{
  g_autofree char *path = hl_test_write_scenario ("");
  gsize size = 2 * 1024 * 1024;
  g_autofree char *big = g_malloc (size);
  g_autoptr (GError) error = NULL;
  g_autoptr (HlScenario) s = NULL;
  memset (big, '#', size);
  g_assert_true (g_file_set_contents (path, big, size, NULL));
  s = hl_scenario_load (path, &error);
  g_assert_null (s);
  g_assert_nonnull (strstr (error->message, ":1: "));
  g_assert_nonnull (strstr (error->message, "too large"));
}

static void
test_device_file (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (HlScenario) s = hl_scenario_load ("/dev/zero", &error);
  g_assert_null (s);
  g_assert_cmpstr (error->message, ==,
                   "/dev/zero:1: /dev/zero is not a regular file (a device or a pipe?)");
}

/* A PEM file whose END line has no newline after it still loads. */
static void
test_pem_without_final_newline (void)
{
  g_autofree char *root = hl_test_source_path ("assets/pki/root-ca.crt");
  g_autofree char *text = NULL;
  gsize len;
  g_autofree char *pem = NULL;
  g_autofree char *scen = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (HlScenario) s = NULL;
  g_assert_true (g_file_get_contents (root, &text, &len, NULL));
  g_assert_cmpint (text[len - 1], ==, '\n');
  pem = hl_test_write_scenario ("");
  g_assert_true (g_file_set_contents (pem, text, len - 1, NULL));
  scen = g_strdup_printf (HEAD "[Client]\nTrustAnchors=%s\n" SERVER, pem);
  g_free (pem);
  pem = hl_test_write_scenario (scen);
  s = hl_scenario_load (pem, &error);
  g_assert_no_error (error);
  g_assert_nonnull (s);
}

/* Windows Notepad starts files with a byte order mark: it is not an error. */
static void
test_byte_order_mark (void)
{
  g_autofree char *path = hl_test_write_scenario ("\xef\xbb\xbf" HEAD SERVER);
  g_autoptr (GError) error = NULL;
  g_autoptr (HlScenario) s = hl_scenario_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (s->title, ==, "t");
}

static void
test_missing_file (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (HlScenario) s = hl_scenario_load ("/nonexistent/x.scenario", &error);
  g_assert_null (s);
  g_assert_true (g_str_has_prefix (error->message, "/nonexistent/x.scenario:1: cannot read"));
}

/* A fault on a message that never comes, or past its end, is found by running. */
static void
test_fault_never_applies (void)
{
  g_autofree char *path = hl_test_write_scenario (
      HEAD "[Client]\nTrustAnchors=assets/pki/root-ca.crt\nServerName=server.example\n" SERVER
           "[Fault]\nMessage=client:CertificateVerify\nAction=drop\n");
  g_autoptr (GError) error = NULL;
  g_autoptr (HlScenario) s = hl_scenario_load (path, &error);
  g_autoptr (HlRun) run = NULL;
  g_autofree char *prefix = g_strdup_printf ("%s:11: ", path);
  g_assert_no_error (error);
  run = hl_test_run (s);
  g_assert_nonnull (hl_run_get_fault_error (run));
  g_assert_true (g_str_has_prefix (hl_run_get_fault_error (run), prefix));
}

static void
test_fault_offset_past_end (void)
{
  g_autofree char *path = hl_test_write_scenario (
      HEAD "[Client]\nTrustAnchors=assets/pki/root-ca.crt\nServerName=server.example\n" SERVER
           "[Fault]\nMessage=server:ServerHelloDone\nAction=flip\nOffset=4\nMask=1\n");
  g_autoptr (GError) error = NULL;
  g_autoptr (HlScenario) s = hl_scenario_load (path, &error);
  g_autoptr (HlRun) run = NULL;
  g_autofree char *prefix = g_strdup_printf ("%s:13: Offset 4 is past the end", path);
  g_assert_no_error (error);
  run = hl_test_run (s);
  g_assert_nonnull (hl_run_get_fault_error (run));
  g_assert_true (g_str_has_prefix (hl_run_get_fault_error (run), prefix));
}

/* Credentials say which file is wrong, in their own error domain. */
static void
test_credentials_error_domain (void)
{
  g_autofree char *chain = hl_test_source_path ("assets/pki/server-rsa-chain.pem");
  g_autofree char *key = hl_test_source_path ("assets/pki/server-rsa.key");
  g_autoptr (GError) e1 = NULL;
  g_autoptr (GError) e2 = NULL;
  g_assert_null (hl_credentials_load ("/nonexistent/chain.pem", key, &e1));
  g_assert_error (e1, HL_CREDENTIALS_ERROR, HL_CREDENTIALS_ERROR_CHAIN);
  g_assert_null (hl_credentials_load (chain, chain, &e2)); /* a certificate where the key goes */
  g_assert_error (e2, HL_CREDENTIALS_ERROR, HL_CREDENTIALS_ERROR_KEY);
}

/* The guide's annotated examples load and run as written: a teacher can copy them. */
static void
test_guide_examples (void)
{
  g_autofree char *guide = hl_test_source_path ("docs/writing-lessons.md");
  g_autofree char *text = NULL;
  g_autofree char *probe = hl_test_write_scenario ("");
  g_autofree char *dir = g_path_get_dirname (probe);
  g_autofree char *lessons = g_build_filename (dir, "lessons", NULL);
  const char *p;
  guint n = 0;
  g_assert_true (g_file_get_contents (guide, &text, NULL, NULL));
  g_mkdir_with_parents (lessons, 0755);
  for (p = strstr (text, "```ini\n"); p; p = strstr (p, "```ini\n")) {
    const char *start = p + 7, *end = strstr (start, "```");
    g_autofree char *body = g_strndup (start, end - start);
    g_autofree char *file = g_strdup_printf ("%s/example-%u.scenario", lessons, n++);
    g_autoptr (GError) error = NULL;
    g_autoptr (HlScenario) s = NULL;
    gboolean fault = FALSE;
    /* The fault example is a fragment: run it inside the complete lesson. */
    if (!strstr (body, "[Scenario]")) {
      g_autofree char *first = g_strdup_printf ("%s/example-0.scenario", lessons);
      g_autofree char *whole = NULL;
      g_autofree char *fragment = g_strdup (strstr (text, "```ini\n[Fault]") + 7);
      g_assert_true (g_file_get_contents (first, &whole, NULL, NULL));
      *strstr (fragment, "```") = '\0';
      /* A changed Finished fails the lesson: expect that instead of its [Expect]. */
      *strstr (whole, "[Expect]") = '\0';
      g_free (body);
      body = g_strconcat (whole, "\n", fragment, "\n[Expect]\nOutcome=failure\n", NULL);
      fault = TRUE;
    }
    g_assert_true (g_file_set_contents (file, body, -1, NULL));
    s = hl_scenario_load (file, &error);
    g_assert_no_error (error);
    {
      g_autoptr (HlRun) run = hl_test_run (s);
      g_autofree char *why = NULL;
      gboolean changed = FALSE;
      int expect;
      g_assert_null (hl_run_get_fault_error (run));
      /* 1: the run is what its [Expect] says (-1 would be a lesson with no [Expect]). */
      expect = hl_run_check_expect (run, &why);
      g_assert_cmpstr (why, ==, NULL);
      g_assert_cmpint (expect, ==, 1);
      for (guint i = 0; i < hl_run_get_n_steps (run); i++)
        changed |= hl_run_get_step (run, i)->fault != NULL;
      g_assert_true (changed == fault);
    }
    p = end;
  }
  g_assert_cmpuint (n, ==, 3); /* the annotated lesson, the fault, the TLS 1.3 lesson */
}

/* docs/scenario-reference.md and the loader's key table agree, key for key: every key
 * the loader reads is documented in its group, and every documented key is read
 * (except those marked "not yet"). */
static void
test_reference_matches_loader (void)
{
  g_autofree char *path = hl_test_source_path ("docs/scenario-reference.md");
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  const char *group;
  const char *const *keys;
  guint documented = 0;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint g = 0; (keys = hl_scenario_group_keys (g, &group)); g++) {
    g_autofree char *heading = g_strdup_printf ("## [%s]", group);
    gboolean in_group = FALSE;
    GPtrArray *doc_keys = g_ptr_array_new_with_free_func (g_free);
    for (guint i = 0; lines[i]; i++) {
      if (g_str_has_prefix (lines[i], "## "))
        in_group = strcmp (lines[i], heading) == 0;
      else if (in_group && g_str_has_prefix (lines[i], "| `")) {
        char *end = strchr (lines[i] + 3, '`');
        if (end && !strstr (lines[i], "*not yet*"))
          g_ptr_array_add (doc_keys, g_strndup (lines[i] + 3, end - lines[i] - 3));
      }
    }
    for (guint k = 0; keys[k]; k++) {
      gboolean found = FALSE;
      for (guint d = 0; d < doc_keys->len; d++)
        found |= strcmp (doc_keys->pdata[d], keys[k]) == 0;
      if (!found)
        g_error ("[%s] %s is read by the loader but not in docs/scenario-reference.md", group,
                 keys[k]);
    }
    for (guint d = 0; d < doc_keys->len; d++)
      if (!g_strv_contains (keys, doc_keys->pdata[d]))
        g_error ("[%s] %s is documented but the loader does not read it", group,
                 (char *)doc_keys->pdata[d]);
    documented += doc_keys->len;
    g_ptr_array_unref (doc_keys);
  }
  g_assert_cmpuint (documented, >, 30);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree char *p = g_strdup_printf ("/malformed/%s", cases[i].name);
    g_test_add_data_func (p, &cases[i], test_case);
  }
  g_test_add_func ("/malformed/huge-file", test_huge_file);
  g_test_add_func ("/malformed/long-description", test_long_description);
  g_test_add_func ("/malformed/missing-file", test_missing_file);
  g_test_add_func ("/malformed/byte-order-mark", test_byte_order_mark);
  g_test_add_func ("/malformed/pem-without-final-newline", test_pem_without_final_newline);
  g_test_add_func ("/malformed/device-file", test_device_file);
  g_test_add_func ("/malformed/fault-never-applies", test_fault_never_applies);
  g_test_add_func ("/malformed/fault-offset-past-end", test_fault_offset_past_end);
  g_test_add_func ("/malformed/credentials-error-domain", test_credentials_error_domain);
  g_test_add_func ("/malformed/guide-examples-load", test_guide_examples);
  g_test_add_func ("/malformed/reference-matches-loader", test_reference_matches_loader);
  return g_test_run ();
}
