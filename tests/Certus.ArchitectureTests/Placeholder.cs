namespace Certus.ArchitectureTests;
