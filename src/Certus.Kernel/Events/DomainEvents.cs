using System.Data.Common;
using Microsoft.Extensions.DependencyInjection;

namespace Certus.Kernel.Events;

/// <summary>Something that happened in one module that other modules may act on. Published inside the writer's transaction.</summary>
public interface IDomainEvent;

/// <summary>
/// Reacts to <typeparamref name="TEvent"/> on the publisher's connection and transaction, so the reaction commits or
/// rolls back with the change that caused it (an SLA clock never disagrees with the incident it times).
/// </summary>
public interface IDomainEventHandler<in TEvent> where TEvent : IDomainEvent
{
    Task HandleAsync(TEvent domainEvent, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken);
}

/// <summary>Publishes domain events to every registered handler, in registration order, within the caller's transaction.</summary>
public sealed class DomainEvents(IServiceProvider services)
{
    public async Task PublishAsync<TEvent>(TEvent domainEvent, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
        where TEvent : IDomainEvent
    {
        foreach (var handler in services.GetServices<IDomainEventHandler<TEvent>>())
        {
            await handler.HandleAsync(domainEvent, connection, transaction, cancellationToken);
        }
    }
}
