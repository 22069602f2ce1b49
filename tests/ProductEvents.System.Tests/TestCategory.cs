// Every test of this project carries its category; pure logic tests add "Unit" (bash test.sh --filter Category=Unit).
[assembly: AssemblyTrait("Category", "System")]
