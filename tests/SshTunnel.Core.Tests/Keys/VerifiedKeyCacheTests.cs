using SshTunnel.Core.Keys;

namespace SshTunnel.Core.Tests.Keys;

/// <summary>The memory of checked key pairs: it knows what it derived or checked, never a forged seed, and keeps the pairs in use within its bound.</summary>
public sealed class VerifiedKeyCacheTests
{
    private static (byte[] Seed, byte[] PublicKey) Pair(byte tag)
    {
        var seed = new byte[32];
        seed[0] = tag;
        return (seed, Ed25519OpenSsh.DerivePublicKey(seed));
    }

    [Fact]
    public void A_pair_is_known_once_derived_or_checked_and_a_forged_seed_never_is()
    {
        var cache = new VerifiedKeyCache(generationCapacity: 16);
        var (seed, publicKey) = Pair(1);
        var (otherSeed, otherPublicKey) = Pair(2);

        Assert.False(cache.IsKnown(seed, publicKey));
        cache.Derived(seed, publicKey);
        Assert.True(cache.IsKnown(seed, publicKey));

        Assert.False(cache.SeedMatches(otherSeed, publicKey));
        Assert.False(cache.IsKnown(otherSeed, publicKey));
        Assert.True(cache.SeedMatches(otherSeed, otherPublicKey));
        Assert.True(cache.IsKnown(otherSeed, otherPublicKey));
    }

    [Fact]
    public void Pairs_in_use_outlive_the_generations_and_unused_ones_are_forgotten()
    {
        var cache = new VerifiedKeyCache(generationCapacity: 4);
        var used = Pair(1);
        var unused = Pair(2);
        cache.Derived(used.Seed, used.PublicKey);
        cache.Derived(unused.Seed, unused.PublicKey);

        for (byte tag = 10; tag < 30; tag++)
        {
            var filler = Pair(tag);
            cache.Derived(filler.Seed, filler.PublicKey);
            Assert.True(cache.IsKnown(used.Seed, used.PublicKey));
        }

        Assert.False(cache.IsKnown(unused.Seed, unused.PublicKey));
    }
}
