// The chaos run and each end-to-end class start processes of their own (emulator, operators,
// sshd); one at a time keeps them within the few cores a CI machine has.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
