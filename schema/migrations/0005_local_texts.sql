ALTER TABLE `incidents` ADD `title_local` text;--> statement-breakpoint
ALTER TABLE `incidents` ADD `body_local` text;