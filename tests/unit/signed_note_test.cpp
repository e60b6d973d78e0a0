// C2SP signed notes and checkpoints: signed, verified, and refused when anything is changed. A
// second, independent implementation (Python's PyNaCl for Ed25519, the note format rebuilt from
// the specification) accepts radveil's notes too.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "ledger/checkpoint.h"
#include "ledger/signed_note.h"
#include "support/test_support.h"

namespace radveil::ledger {

TEST(SignedNote, ASignedCheckpointVerifiesWithTheVerifierKeyAndNothingElse) {
  const NoteSigner signer = NoteSigner::generate("radveil.local/ledger/test");
  Hash root{};
  root[0] = 7;
  const std::string text = checkpoint_text({signer.name(), 12, root});
  const std::string note = signer.sign(text);
  EXPECT_EQ(note.substr(0, text.size()), text);
  EXPECT_NE(note.find("\n\n\xE2\x80\x94 radveil.local/ledger/test "), std::string::npos);
  const auto verified = verified_text(note, signer.verifier_key());
  ASSERT_TRUE(verified);
  const auto c = parse_checkpoint(*verified);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->size, 12u);
  EXPECT_EQ(c->root, root);
  // Another key, a changed size, a changed signature: refused.
  EXPECT_FALSE(verified_text(note, NoteSigner::generate("radveil.local/ledger/test").verifier_key()));
  std::string changed = note;
  changed.replace(changed.find("\n12\n"), 4, "\n13\n");
  EXPECT_FALSE(verified_text(changed, signer.verifier_key()));
  changed = note;
  changed[changed.size() - 5] = changed[changed.size() - 5] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(verified_text(changed, signer.verifier_key()));
  EXPECT_FALSE(verified_text("no note\n", signer.verifier_key()));
}

TEST(SignedNote, TheSignerKeyRoundTripsInGosFormat) {
  const NoteSigner signer = NoteSigner::generate("example.com/log");
  const std::string key = signer.to_text();
  EXPECT_EQ(key.rfind("PRIVATE+KEY+example.com/log+", 0), 0u);
  const NoteSigner again = NoteSigner::from_text(key);
  EXPECT_EQ(again.verifier_key(), signer.verifier_key());
  EXPECT_TRUE(verified_text(again.sign("hello\n"), signer.verifier_key()));
  EXPECT_THROW(NoteSigner::generate("has space"), NoteError);
  EXPECT_THROW(NoteSigner::from_text("PRIVATE+KEY+x+00000000+AAAA"), NoteError);
}

TEST(SignedNote, Base64IsStandardBase64) {
  EXPECT_EQ(base64(""), "");
  EXPECT_EQ(base64("f"), "Zg==");
  EXPECT_EQ(base64("fo"), "Zm8=");
  EXPECT_EQ(base64("foo"), "Zm9v");
  EXPECT_EQ(from_base64("Zm8="), "fo");
  EXPECT_EQ(from_base64("Zg=="), "f");
  EXPECT_FALSE(from_base64("Zm8"));
  EXPECT_FALSE(from_base64("Zm8!"));
}

TEST(SignedNote, AnIndependentImplementationAcceptsRadveilsNotes) {
  ASSERT_EQ(std::system("/usr/bin/python3 -c 'import nacl.signing' 2>/dev/null"), 0)
      << "python3-nacl is missing (scripts/install-deps.sh installs it)";
  test::TempDir dir;
  const NoteSigner signer = NoteSigner::generate("radveil.local/ledger/interop");
  Hash root{};
  for (std::size_t i = 0; i < root.size(); ++i) root[i] = static_cast<std::uint8_t>(i);
  std::ofstream(dir / "note") << signer.sign(checkpoint_text({signer.name(), 3, root}));
  std::ofstream(dir / "vkey") << signer.verifier_key();
  // The note format from https://c2sp.org/signed-note, written again in Python (Debian's python3,
  // where python3-nacl is installed).
  std::ofstream(dir / "verify.py") << R"(import base64, hashlib, sys, nacl.signing
note = open(sys.argv[1], 'rb').read().decode()
name, keyhash, key = open(sys.argv[2]).read().strip().split('+', 2)
key = base64.b64decode(key)
assert key[0] == 1, 'not an Ed25519 key'
assert hashlib.sha256(name.encode() + b'\n' + key).digest()[:4].hex() == keyhash, 'key hash'
text, sigs = note.rsplit('\n\n', 1)
text += '\n'
for line in sigs.strip('\n').split('\n'):
    assert line.startswith('\u2014 '), 'signature line'
    signer, sig = line[2:].rsplit(' ', 1)
    sig = base64.b64decode(sig)
    if signer == name and sig[:4].hex() == keyhash:
        nacl.signing.VerifyKey(key[1:]).verify(text.encode(), sig[4:])
        origin, size, root = text.split('\n')[:3]
        assert origin == name and size == '3' and base64.b64decode(root) == bytes(range(32))
        print('verified')
        sys.exit(0)
sys.exit('no signature by that key')
)";
  const auto run = [&](const std::string& note) {
    return std::system(("/usr/bin/python3 " + (dir / "verify.py").string() + " " + note + " " + (dir / "vkey").string() +
                        " >/dev/null 2>&1")
                           .c_str());
  };
  EXPECT_EQ(run((dir / "note").string()), 0);
  std::string forged = test::read_file(dir / "note");
  forged.replace(forged.find("\n3\n"), 3, "\n4\n");
  std::ofstream(dir / "forged") << forged;
  EXPECT_NE(run((dir / "forged").string()), 0);  // the independent verifier refuses a changed note
}

}  // namespace radveil::ledger
