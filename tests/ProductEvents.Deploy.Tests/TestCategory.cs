// The deploy files are read as files: no container engine, cluster or server is started, so every test is "Unit".
[assembly: AssemblyTrait("Category", "Unit")]
