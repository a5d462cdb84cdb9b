// One real AppHost (embedded emulator: moto) for every test of this assembly that asks for it.
[assembly: AssemblyFixture(typeof(Audiobook.Tests.Infrastructure.AppHostFixture))]
