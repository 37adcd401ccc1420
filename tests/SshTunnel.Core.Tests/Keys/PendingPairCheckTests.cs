using System.Security.Cryptography;
using System.Text;
using SshTunnel.Core.Keys;
using SshTunnel.Core.Secrets;
using SshTunnel.Core.Tests.Support;

namespace SshTunnel.Core.Tests.Keys;

/// <summary>
/// The check a verdict leaves for the pairs it could not confirm without deriving: it confirms
/// the pairs that belong together, so the verdict made again confirms them, and never a forged seed.
/// </summary>
public sealed class PendingPairCheckTests
{
    /// <summary>A pair made the way another process made it: this process never derived it.</summary>
    private static KeyPair UnseenPair(string comment)
    {
        var seed = RandomNumberGenerator.GetBytes(32);
        var publicKey = Ed25519OpenSsh.DerivePublicKey(seed);
        return new KeyPair(SshPublicKey.FromEd25519(publicKey, comment).ToString(), OpenSshPrivateKey.Format(seed, publicKey, comment, 7));
    }

    private static SecretSnapshot SecretOfAnotherProcess()
    {
        var world = new ReconcileWorld();
        world.Converge();
        world.EditSecret(data =>
        {
            foreach (var (publicKey, privateKey) in new[] { (KeySecretLayout.PublicKey1, KeySecretLayout.PrivateKey1), (KeySecretLayout.PublicKey2, KeySecretLayout.PrivateKey2) })
            {
                var pair = UnseenPair(publicKey);
                data[publicKey] = Encoding.UTF8.GetBytes(pair.PublicKey);
                data[privateKey] = Encoding.UTF8.GetBytes(pair.PrivateKey);
            }
        });
        return world.Secret!;
    }

    [Fact]
    public void Pairs_another_process_made_are_readable_unconfirmed_and_confirmed_by_their_check()
    {
        var secret = SecretOfAnotherProcess();

        var verdict = KeySecretVerdict.Of(secret, out var pending);

        Assert.True(verdict.Readable);
        Assert.False(verdict.PairsConfirmed);
        Assert.Equal(2, pending!.Pairs);
        Assert.True(pending.Confirm());
        Assert.Equal(0, pending.Pairs);
        Assert.Equal(verdict with { PairsConfirmed = true }, KeySecretVerdict.Of(secret, out var none));
        Assert.Null(none);
    }

    [Fact]
    public void A_check_derives_once_and_keeps_its_answer()
    {
        KeySecretVerdict.Of(SecretOfAnotherProcess(), out var pending);

        Assert.True(pending!.Confirm());
        Assert.Equal(0, pending.Pairs);
        Assert.True(pending.Confirm());
    }

    [Fact]
    public void A_forged_seed_fails_its_check_and_stays_unconfirmed()
    {
        var secret = SecretOfAnotherProcess();
        var data = new Dictionary<string, byte[]>(secret.Data);
        Assert.True(OpenSshPrivateKey.TryParse(Encoding.UTF8.GetString(data[KeySecretLayout.PrivateKey2]), out var parsed, out _));
        data[KeySecretLayout.PrivateKey2] = Encoding.UTF8.GetBytes(OpenSshPrivateKey.Format(new byte[32], parsed.PublicKey, parsed.Comment, parsed.CheckInt));
        var forged = secret with { Data = data };

        var verdict = KeySecretVerdict.Of(forged, out var pending);

        Assert.True(verdict.Readable);
        Assert.False(pending!.Confirm());
        Assert.False(KeySecretVerdict.Of(forged).PairsConfirmed);
        Assert.NotNull(KeySecretCodec.Read(forged).Problem);
    }

    [Fact]
    public void A_discarded_check_confirms_nothing()
    {
        var secret = SecretOfAnotherProcess();
        KeySecretVerdict.Of(secret, out var pending);

        pending!.Discard();

        Assert.False(pending.Confirm());
        Assert.False(KeySecretVerdict.Of(secret).PairsConfirmed);
    }

    [Fact]
    public void Pairs_this_process_made_and_an_unreadable_Secret_leave_no_check()
    {
        var world = new ReconcileWorld();
        world.Converge();
        Assert.True(KeySecretVerdict.Of(world.Secret!, out var none).PairsConfirmed);
        Assert.Null(none);

        world.EditSecret(data => data[KeySecretLayout.PublicKey2] = data[KeySecretLayout.PublicKey1]);
        Assert.False(KeySecretVerdict.Of(world.Secret!, out var unreadable).Readable);
        Assert.Null(unreadable);
    }
}
